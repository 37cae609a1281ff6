using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Interop;
using EdgeGovernor.Firmware.Observability;
using Tmds.Linux;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// The board's UDP endpoints, as the design says: a multicast socket joined on the configured
/// interface, only for receiving, and a unicast socket that every send leaves from (so the
/// source address a peer sees on our multicast is our unicast endpoint, which it can answer).
/// <para>
/// No threads of its own: the protocol loop sleeps in <see cref="WaitForData"/> (<c>epoll_wait</c> on
/// both sockets and an eventfd that <see cref="Wake"/> signals) until data or its next deadline, and
/// <see cref="Drain"/> takes the queued datagrams with <c>recvmmsg</c>, many per system call, straight
/// into preallocated slots (<see cref="ReceiveBatch"/>) and hands them to the consumer on the same
/// thread: no hand-off between threads, no wake-up per datagram. The sockets' kernel buffers are the
/// receive queue; what the kernel drops when one is full is read from SO_RXQ_OVFL
/// (<see cref="QueueDrops"/>). Our own multicast, looped back, is dropped in the kernel by a BPF
/// filter on the multicast socket (source address and port equal to our unicast endpoint), and by
/// comparing source addresses should a looped datagram get through (<see cref="OwnMulticastFilter"/>).
/// Sending is <see cref="UdpSender"/>'s, receiving <see cref="UdpReceiver"/>'s; this class owns the sockets,
/// the wait and their life cycle. Receiving and sending allocate nothing in steady state. Linux only (the
/// firmware's platform).
/// </para>
/// </summary>
internal sealed class UdpTransport : IDisposable
{
    /// <summary>Most receive slots allocated, whatever <see cref="UdpTransportOptions.QueueSlots"/> asks.</summary>
    public const int MaxReceiveSlots = 256;

    /// <summary>Datagrams one <c>sendmmsg</c> carries while batching (<see cref="BeginBatch"/>).</summary>
    public const int SendBatchSlots = 256;

    private const uint WakeTag = 4;

    private readonly Socket _unicast;
    private readonly Socket _multicast;
    private readonly SafeSocketHandle _unicastHandle;
    private readonly SafeSocketHandle _multicastHandle;
    private readonly UdpSender _sender;
    private readonly UdpReceiver _receiver;
    private readonly FileDescriptorHandle _wake;
    private readonly FileDescriptorHandle _epoll;
    private readonly bool _ownFilteredInKernel;
    private volatile bool _disposed;
    private Readiness _readiness = Readiness.Unknown;

    /// <summary>What the last <see cref="WaitForData"/> saw readable (epoll_event.data tags), so that <see cref="Drain"/> reads only those sockets.</summary>
    [Flags]
    private enum Readiness
    {
        None = 0,
        Unicast = 1,
        Multicast = 2,
        Unknown = Unicast | Multicast,
    }

    /// <summary>Opens and binds both sockets and joins the group.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public UdpTransport(UdpTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The UDP transport uses recvmmsg, epoll and eventfd (Linux).");
        }

        Options = options;
        GroupEndPoint = new IPEndPoint(options.Group, options.GroupPort);
        _unicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _multicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _wake = Libc.OpenEventFd();
            _epoll = Libc.OpenEpoll();
            _unicast.ReceiveBufferSize = 4 << 20;
            _unicast.SendBufferSize = 4 << 20;
            Bind(_unicast, new IPEndPoint(options.Interface, options.UnicastPort), "network.interface and network.unicastPort");
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.Interface.GetAddressBytes());
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.Ttl);
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.Loopback);
            _unicast.SetRawSocketOption(LibC.SOL_SOCKET, LibC.SO_RXQ_OVFL, BitConverter.GetBytes(1));

            _multicast.ReceiveBufferSize = 4 << 20;
            _multicast.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Bound to the group address (not ANY): Linux then delivers only this group's datagrams here.
            Bind(_multicast, new IPEndPoint(options.Group, options.GroupPort), "network.multicastGroup and network.multicastPort");
            try
            {
                _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(options.Group, options.Interface));
            }
            catch (SocketException e)
            {
                throw new IOException($"cannot join multicast group {options.Group} on {options.Interface} (network.interface): {ErrorText.Socket(e.SocketErrorCode)}", e);
            }
            _multicast.SetRawSocketOption(LibC.SOL_SOCKET, LibC.SO_RXQ_OVFL, BitConverter.GetBytes(1));
            LocalEndPoint = (IPEndPoint)_unicast.LocalEndPoint!;
            _ownFilteredInKernel = options.Loopback && !options.Interface.Equals(IPAddress.Any) && OwnMulticastFilter.TryAttach(_multicast, LocalEndPoint);
            _sender = new UdpSender(_unicast, GroupEndPoint, _ownFilteredInKernel);
            _receiver = new UdpReceiver(Math.Clamp(options.QueueSlots, 1, MaxReceiveSlots), LocalEndPoint, _sender);
            Libc.EpollAdd(_epoll, _unicast.SafeHandle, (uint)Readiness.Unicast);
            Libc.EpollAdd(_epoll, _multicast.SafeHandle, (uint)Readiness.Multicast);
            Libc.EpollAdd(_epoll, _wake, WakeTag);
        }
        catch
        {
            Close();
            throw;
        }
        _unicastHandle = _unicast.SafeHandle;
        _multicastHandle = _multicast.SafeHandle;
    }

    /// <summary>The options the sockets were opened with.</summary>
    public UdpTransportOptions Options { get; }

    /// <summary>The unicast socket's bound endpoint (the port is real even when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The multicast group endpoint.</summary>
    public IPEndPoint GroupEndPoint { get; }

    /// <summary>Datagrams sent.</summary>
    public long DatagramsSent => _sender.DatagramsSent;

    /// <summary>Bytes sent.</summary>
    public long BytesSent => _sender.BytesSent;

    /// <summary>Sends that failed (counted, never thrown).</summary>
    public long SendErrors => _sender.SendErrors;

    /// <summary>Datagrams received (both sockets, before the protocol looks at them).</summary>
    public long DatagramsReceived => _receiver.DatagramsReceived;

    /// <summary>Bytes received.</summary>
    public long BytesReceived => _receiver.BytesReceived;

    /// <summary><c>recvmmsg</c> calls made; <see cref="DatagramsReceived"/> / this = datagrams per system call.</summary>
    public long ReceiveCalls => _receiver.ReceiveCalls;

    /// <summary>Receive errors (failed system calls, datagrams too large for a slot).</summary>
    public long ReceiveErrors => _receiver.ReceiveErrors;

    /// <summary>
    /// Datagrams the kernel dropped because a socket's receive buffer was full (SO_RXQ_OVFL; our own
    /// looped-back multicast, dropped on purpose by the filter, is not counted). The kernel reports the
    /// counter with the next datagram it delivers, so a drop shows once traffic resumes.
    /// </summary>
    public long QueueDrops => _receiver.QueueDrops;

    /// <summary>Our own multicast datagrams that came back to us and were dropped here (0 while the kernel filter works).</summary>
    public long OwnDropped => _receiver.OwnDropped;

    /// <summary>Datagrams dropped as larger than a receive slot (<c>edgegov_drops_total{reason="Oversized"}</c>).</summary>
    public long Oversized => _receiver.Oversized;

    /// <summary>True when our own looped-back multicast is dropped in the kernel (a BPF filter on the multicast socket).</summary>
    public bool OwnMulticastFilteredInKernel => _ownFilteredInKernel;

    /// <summary>Kept for the caller's life cycle: the transport receives from construction on and has no threads to start.</summary>
    public void Start()
    {
    }

    /// <summary>
    /// From now on, sends made on the calling thread are held (copied) and leave together, in order,
    /// in one <c>sendmmsg</c> per <see cref="SendBatchSlots"/> datagrams: at <see cref="FlushSends"/>, when
    /// the batch is full, or at the next <see cref="WaitForData"/> (the loop never sleeps on held sends).
    /// Sends from other threads are not held. A held send is reported as sent; a failure at the flush
    /// is counted in <see cref="SendErrors"/>, like an immediate one.
    /// </summary>
    public void BeginBatch() => _sender.BeginBatch();

    /// <summary>Sends every held datagram and stops holding; returns how many were held.</summary>
    public int FlushSends()
    {
        _sender.EndBatch();
        return _sender.Flush();
    }

    /// <summary>Sends to the multicast group (through the unicast socket).</summary>
    public bool SendToGroup(ReadOnlySpan<byte> datagram) => _sender.SendToGroup(datagram);

    /// <summary>Sends to one peer's unicast endpoint.</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination) => _sender.SendTo(datagram, destination);

    /// <summary>
    /// Blocks until a datagram is queued on either socket, <see cref="Wake"/> is called, or
    /// <paramref name="timeoutMs"/> passes (0: just look; negative: no timeout). True when there is data or a wake-up.
    /// The sockets and the eventfd are registered once with an epoll instance, so a wait costs one
    /// system call and no per-wait registration on the sockets' wait queues (which the sender's
    /// softirq would contend for).
    /// </summary>
    public unsafe bool WaitForData(int timeoutMs)
    {
        if (_disposed)
        {
            return false;
        }

        if (_sender.HasHeld)
        {
            FlushSends();
        }
        _sender.EndBatch();
        try
        {
            Tmds.Linux.epoll_event* events = stackalloc Tmds.Linux.epoll_event[3];
            int ready = Libc.EpollWait(_epoll, events, 3, timeoutMs);
            if (ready <= 0)
            {
                _readiness = ready == 0 ? Readiness.None : Readiness.Unknown;
                return false; // timeout, or EINTR: the caller's loop comes round again
            }

            Readiness readiness = Readiness.None;
            for (int i = 0; i < ready; i++)
            {
                uint tag = events[i].data.u32;
                if (tag == WakeTag)
                {
                    Libc.Reset(_wake);
                }
                else
                {
                    readiness |= (Readiness)tag;
                }
            }
            _readiness = readiness;
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Wakes a <see cref="WaitForData"/> from another thread (thread-safe).</summary>
    public void Wake()
    {
        try
        {
            Libc.Signal(_wake);
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nobody waits any more.
        }
    }

    /// <summary>
    /// Takes the queued datagrams of both sockets (unicast first) without waiting and hands each to
    /// <paramref name="consumer"/> on the calling thread, at most <paramref name="max"/>; returns how many.
    /// Right after a <see cref="WaitForData"/> only the sockets it saw readable are read (one system
    /// call fewer per wake-up); anything that arrived meanwhile is seen by the next wait.
    /// </summary>
    public int Drain<TConsumer>(TConsumer consumer, int max = int.MaxValue)
        where TConsumer : IDatagramConsumer
    {
        if (_disposed)
        {
            return 0;
        }

        Readiness readiness = _readiness;
        _readiness = Readiness.Unknown;
        try
        {
            int n = (readiness & Readiness.Unicast) != 0 ? _receiver.Drain(_unicastHandle, multicast: false, consumer, max) : 0;
            return (readiness & Readiness.Multicast) != 0 ? n + _receiver.Drain(_multicastHandle, multicast: true, consumer, max - n) : n;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>Leaves the group and closes the sockets; a <see cref="WaitForData"/> in progress returns.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (_sender.HasHeld)
        {
            _sender.Flush();
        }
        _sender.Close();
        _disposed = true;
        try
        {
            _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.DropMembership, new MulticastOption(Options.Group, Options.Interface));
        }
        catch (SocketException)
        {
            // Leaving the group is a courtesy; closing the socket leaves it too.
        }
        Wake();
        Close();
    }

    // Binds, or throws an IOException naming the endpoint and the settings it comes from.
    private static void Bind(Socket socket, IPEndPoint endpoint, string settings)
    {
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot bind UDP {endpoint} (port {endpoint.Port}; {settings}): {ErrorText.Socket(e.SocketErrorCode)}", e);
        }
    }

    private void Close()
    {
        _unicast.Dispose();
        _multicast.Dispose();
        // Null only when the constructor failed part way.
        _epoll?.Dispose();
        _wake?.Dispose();
        _receiver?.Dispose();
    }
}
