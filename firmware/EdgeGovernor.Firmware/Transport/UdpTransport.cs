using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>Socket settings of <see cref="UdpTransport"/>.</summary>
/// <param name="Group">Multicast group (IPv4).</param>
/// <param name="GroupPort">Multicast port.</param>
/// <param name="Interface">Address of the interface to join on and send multicast from; the unicast socket binds to it.</param>
/// <param name="UnicastPort">Unicast port (0: any free port).</param>
/// <param name="Ttl">Multicast TTL.</param>
/// <param name="Loopback">IP_MULTICAST_LOOP (needed when several nodes share a host).</param>
/// <param name="QueueSlots">Receive queue capacity.</param>
public sealed record UdpTransportOptions(IPAddress Group, int GroupPort, IPAddress Interface, int UnicastPort, int Ttl = 1, bool Loopback = true, int QueueSlots = 1024);

/// <summary>Receives datagrams from the transport on the protocol loop's thread.</summary>
public interface IDatagramConsumer
{
    /// <summary>One datagram; <paramref name="datagram"/> and <paramref name="source"/> are valid only during the call.</summary>
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast);
}

/// <summary>
/// The board's UDP endpoints, as the design says: a multicast socket joined on the configured
/// interface, only for receiving, and a unicast socket that every send leaves from (so the
/// source address a peer sees on our multicast is our unicast endpoint, which it can answer).
/// <para>
/// Two receive threads (one per socket) block in <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>
/// straight into the pinned slots of a <see cref="DatagramQueue"/>; the protocol loop drains it
/// with <see cref="Drain"/> and sleeps in <see cref="WaitForData"/> until data or its next
/// deadline. Receiving and sending allocate nothing in steady state. Our own multicast, looped
/// back, is dropped here by comparing source addresses.
/// </para>
/// </summary>
public sealed class UdpTransport : IDisposable
{
    private readonly Socket _unicast;
    private readonly Socket _multicast;
    private readonly SocketAddress _groupAddress;
    private readonly SocketAddress _ownAddress;
    private readonly DatagramQueue _queue;
    private readonly Thread _unicastThread;
    private readonly Thread _multicastThread;
    private volatile bool _stopping;
    private long _datagramsSent;
    private long _bytesSent;
    private long _sendErrors;
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _receiveErrors;
    private long _ownDropped;
    private readonly long[] _receiveThreadAllocated = new long[2];

    /// <summary>Opens and binds both sockets and joins the group; call <see cref="Start"/> to receive.</summary>
    public UdpTransport(UdpTransportOptions options)
    {
        Options = options;
        _queue = new DatagramQueue(options.QueueSlots, producers: 2, AddressFamily.InterNetwork);
        _unicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _multicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _unicast.ReceiveBufferSize = 4 << 20;
            _unicast.SendBufferSize = 4 << 20;
            _unicast.Bind(new IPEndPoint(options.Interface, options.UnicastPort));
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.Interface.GetAddressBytes());
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.Ttl);
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.Loopback);

            _multicast.ReceiveBufferSize = 4 << 20;
            _multicast.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Bound to the group address (not ANY): Linux then delivers only this group's datagrams here.
            _multicast.Bind(new IPEndPoint(options.Group, options.GroupPort));
            _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(options.Group, options.Interface));
        }
        catch
        {
            _unicast.Dispose();
            _multicast.Dispose();
            _queue.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_unicast.LocalEndPoint!;
        _ownAddress = LocalEndPoint.Serialize();
        GroupEndPoint = new IPEndPoint(options.Group, options.GroupPort);
        _groupAddress = GroupEndPoint.Serialize();
        _unicastThread = new Thread(() => ReceiveLoop(_unicast, 0, multicast: false)) { IsBackground = true, Name = "edgegov-rx-unicast" };
        _multicastThread = new Thread(() => ReceiveLoop(_multicast, 1, multicast: true)) { IsBackground = true, Name = "edgegov-rx-multicast" };
    }

    /// <summary>The options the sockets were opened with.</summary>
    public UdpTransportOptions Options { get; }

    /// <summary>The unicast socket's bound endpoint (the port is real even when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The multicast group endpoint.</summary>
    public IPEndPoint GroupEndPoint { get; }

    /// <summary>Datagrams sent.</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>Bytes sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Sends that failed (counted, never thrown).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Datagrams received (both sockets, before the protocol looks at them).</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    /// <summary>Bytes received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Receive errors other than shutdown.</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Datagrams dropped because the receive queue was full.</summary>
    public long QueueDrops => _queue.Dropped;

    /// <summary>Our own multicast datagrams looped back and dropped.</summary>
    public long OwnDropped => Interlocked.Read(ref _ownDropped);

    /// <summary>
    /// Bytes the unicast (0) or multicast (1) receive thread had allocated when it received its
    /// latest datagram: a steady value across traffic proves the receive path allocation-free.
    /// </summary>
    public long ReceiveThreadAllocatedBytes(int producer) => Volatile.Read(ref _receiveThreadAllocated[producer]);

    /// <summary>Starts the receive threads.</summary>
    public void Start()
    {
        _unicastThread.Start();
        _multicastThread.Start();
    }

    /// <summary>Sends to the multicast group (through the unicast socket).</summary>
    public bool SendToGroup(ReadOnlySpan<byte> datagram) => SendTo(datagram, _groupAddress);

    /// <summary>Sends to one peer's unicast endpoint.</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            int sent = _unicast.SendTo(datagram, SocketFlags.None, destination);
            Interlocked.Increment(ref _datagramsSent);
            Interlocked.Add(ref _bytesSent, sent);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Blocks until a datagram is queued or <paramref name="timeoutMs"/> passes.</summary>
    public bool WaitForData(int timeoutMs) => _queue.Wait(timeoutMs);

    /// <summary>Wakes a <see cref="WaitForData"/> from another thread.</summary>
    public void Wake() => _queue.Wake();

    /// <summary>Hands every queued datagram to <paramref name="consumer"/> on the calling thread; returns how many.</summary>
    public int Drain<TConsumer>(TConsumer consumer, int max = int.MaxValue)
        where TConsumer : IDatagramConsumer
    {
        int n = 0;
        while (n < max && _queue.TryTake(out int slot, out ReadOnlySpan<byte> datagram, out SocketAddress source, out bool multicast))
        {
            try
            {
                consumer.OnDatagram(datagram, source, multicast);
            }
            finally
            {
                _queue.Return(slot);
            }
            n++;
        }
        return n;
    }

    private void ReceiveLoop(Socket socket, int producer, bool multicast)
    {
        int scratch = _queue.ScratchBase + producer;
        while (!_stopping)
        {
            int slot = _queue.Rent(scratch);
            int length;
            try
            {
                length = socket.ReceiveFrom(_queue.Buffer(slot), SocketFlags.None, _queue.Source(slot));
            }
            catch (SocketException) when (!_stopping)
            {
                _queue.Abandon(slot);
                Interlocked.Increment(ref _receiveErrors);
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _queue.Abandon(slot);
                return;
            }
            Volatile.Write(ref _receiveThreadAllocated[producer], GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Increment(ref _datagramsReceived);
            Interlocked.Add(ref _bytesReceived, length);
            if (multicast && _queue.Source(slot).Equals(_ownAddress))
            {
                Interlocked.Increment(ref _ownDropped);
                _queue.Abandon(slot);
                continue;
            }
            _queue.Publish(slot, length, multicast);
        }
    }

    /// <summary>Leaves the group, closes the sockets and joins the receive threads.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        try
        {
            _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.DropMembership, new MulticastOption(Options.Group, Options.Interface));
        }
        catch (SocketException)
        {
            // Leaving the group is a courtesy; closing the socket leaves it too.
        }
        // Shutdown wakes a thread blocked in recvfrom on Linux; Dispose alone may not.
        ShutdownQuietly(_unicast);
        ShutdownQuietly(_multicast);
        _unicast.Dispose();
        _multicast.Dispose();
        if (_unicastThread.IsAlive)
        {
            _unicastThread.Join(TimeSpan.FromSeconds(2));
        }
        if (_multicastThread.IsAlive)
        {
            _multicastThread.Join(TimeSpan.FromSeconds(2));
        }
        _queue.Dispose();
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not connected: fine for UDP, the close below still wakes the receiver.
        }
    }
}
