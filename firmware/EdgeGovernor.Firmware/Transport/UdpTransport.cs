using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>Socket settings of <see cref="UdpTransport"/>.</summary>
/// <param name="Group">Multicast group (IPv4).</param>
/// <param name="GroupPort">Multicast port.</param>
/// <param name="Interface">Address of the interface to join on and send multicast from; the unicast socket binds to it.</param>
/// <param name="UnicastPort">Unicast port (0: any free port).</param>
/// <param name="Ttl">Multicast TTL.</param>
/// <param name="Loopback">IP_MULTICAST_LOOP (needed when several nodes share a host).</param>
/// <param name="QueueSlots">Receive slots: the most datagrams taken from a socket per system call (at most
/// <see cref="UdpTransport.MaxReceiveSlots"/> are allocated, 2 KiB each). The sockets' kernel buffers (4 MiB) are the queue.</param>
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
/// No threads of its own: the protocol loop sleeps in <see cref="WaitForData"/> (<c>epoll_wait</c> on
/// both sockets and an eventfd that <see cref="Wake"/> signals) until data or its next deadline, and
/// <see cref="Drain"/> takes the queued datagrams with <c>recvmmsg</c>, many per system call, straight
/// into preallocated slots (<see cref="ReceiveBatch"/>) and hands them to the consumer on the same
/// thread: no hand-off between threads, no wake-up per datagram. The sockets' kernel buffers are the
/// receive queue; what the kernel drops when one is full is read from SO_RXQ_OVFL
/// (<see cref="QueueDrops"/>). Our own multicast, looped back, is dropped in the kernel by a BPF
/// filter on the multicast socket (source address and port equal to our unicast endpoint), and by
/// comparing source addresses should a looped datagram get through. Receiving and sending allocate
/// nothing in steady state. Linux only (the firmware's platform).
/// </para>
/// </summary>
public sealed class UdpTransport : IDisposable
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
    private readonly SocketAddress _groupAddress;
    private readonly SocketAddress _ownAddress;
    private readonly ReceiveBatch _batch;
    private SendBatch? _sendBatch; // created at the first BeginBatch (512 KiB)
    private int _batchingThread;
    private readonly FileDescriptorHandle _wake;
    private readonly FileDescriptorHandle _epoll;
    private readonly bool _ownFilteredInKernel;
    private volatile bool _disposed;
    private long _datagramsSent;
    private long _bytesSent;
    private long _sendErrors;
    private long _groupSendsLooped;
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _receiveErrors;
    private long _ownDropped;
    private long _unicastKernelDrops;
    private long _multicastKernelDrops;
    private long _receiveCalls;
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
        _unicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _multicast = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _batch = new ReceiveBatch(Math.Clamp(options.QueueSlots, 1, MaxReceiveSlots), AddressFamily.InterNetwork);
            _wake = Libc.OpenEventFd();
            _epoll = Libc.OpenEpoll();
            _unicast.ReceiveBufferSize = 4 << 20;
            _unicast.SendBufferSize = 4 << 20;
            _unicast.Bind(new IPEndPoint(options.Interface, options.UnicastPort));
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.Interface.GetAddressBytes());
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.Ttl);
            _unicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.Loopback);
            _unicast.SetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_RXQ_OVFL, BitConverter.GetBytes(1));

            _multicast.ReceiveBufferSize = 4 << 20;
            _multicast.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Bound to the group address (not ANY): Linux then delivers only this group's datagrams here.
            _multicast.Bind(new IPEndPoint(options.Group, options.GroupPort));
            _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(options.Group, options.Interface));
            _multicast.SetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_RXQ_OVFL, BitConverter.GetBytes(1));
            LocalEndPoint = (IPEndPoint)_unicast.LocalEndPoint!;
            _ownFilteredInKernel = options.Loopback && !options.Interface.Equals(IPAddress.Any) && DropOwnInKernel(_multicast, LocalEndPoint);
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
        _ownAddress = LocalEndPoint.Serialize();
        GroupEndPoint = new IPEndPoint(options.Group, options.GroupPort);
        _groupAddress = GroupEndPoint.Serialize();
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

    /// <summary><c>recvmmsg</c> calls made; <see cref="DatagramsReceived"/> / this = datagrams per system call.</summary>
    public long ReceiveCalls => Interlocked.Read(ref _receiveCalls);

    /// <summary>Receive errors (failed system calls, datagrams too large for a slot).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>
    /// Datagrams the kernel dropped because a socket's receive buffer was full (SO_RXQ_OVFL; our own
    /// looped-back multicast, dropped on purpose by the filter, is not counted). The kernel reports the
    /// counter with the next datagram it delivers, so a drop shows once traffic resumes.
    /// </summary>
    public long QueueDrops => Interlocked.Read(ref _unicastKernelDrops) + Interlocked.Read(ref _multicastKernelDrops);

    /// <summary>Our own multicast datagrams that came back to us and were dropped here (0 while the kernel filter works).</summary>
    public long OwnDropped => Interlocked.Read(ref _ownDropped);

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
    public void BeginBatch()
    {
        _sendBatch ??= new SendBatch(SendBatchSlots, AddressFamily.InterNetwork);
        _batchingThread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Sends every held datagram and stops holding; returns how many were held.</summary>
    public int FlushSends()
    {
        _batchingThread = 0;
        return Flush();
    }

    /// <summary>Sends to the multicast group (through the unicast socket).</summary>
    public bool SendToGroup(ReadOnlySpan<byte> datagram)
    {
        if (_ownFilteredInKernel)
        {
            // Counted before the send: the looped copy meets the filter (a drop in the socket's counter) only after it.
            Interlocked.Increment(ref _groupSendsLooped);
        }

        if (Send(datagram, _groupAddress, group: true))
        {
            return true;
        }

        if (_ownFilteredInKernel)
        {
            Interlocked.Decrement(ref _groupSendsLooped);
        }
        return false;
    }

    /// <summary>Sends to one peer's unicast endpoint.</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination) => Send(datagram, destination, group: false);

    private bool Send(ReadOnlySpan<byte> datagram, SocketAddress destination, bool group)
    {
        if (_batchingThread != 0 && _batchingThread == Environment.CurrentManagedThreadId && !_disposed && _sendBatch is not null)
        {
            if (_sendBatch.TryAdd(datagram, destination, group))
            {
                return true;
            }
            Flush();
            if (_sendBatch.TryAdd(datagram, destination, group))
            {
                return true;
            }
        }

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

    private int Flush()
    {
        if (_sendBatch is null)
        {
            return 0;
        }

        int count = _sendBatch.Count;
        int i = 0;
        try
        {
            while (i < count)
            {
                int sent = _sendBatch.Send(_unicastHandle, i);
                if (sent > 0)
                {
                    long bytes = 0;
                    for (int j = i; j < i + sent; j++)
                    {
                        bytes += _sendBatch.Length(j);
                    }
                    Interlocked.Add(ref _datagramsSent, sent);
                    Interlocked.Add(ref _bytesSent, bytes);
                    i += sent;
                    continue;
                }

                // Datagram i failed (ENOBUFS under a burst, unreachable, ...): count it and go on with the rest.
                Interlocked.Increment(ref _sendErrors);
                if (_sendBatch.IsGroup(i) && _ownFilteredInKernel)
                {
                    Interlocked.Decrement(ref _groupSendsLooped);
                }
                i++;
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed: the rest is lost, as an immediate send would be.
        }
        _sendBatch.Clear();
        return count;
    }

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

        if (_sendBatch is { Count: > 0 })
        {
            FlushSends();
        }
        _batchingThread = 0;
        try
        {
            byte* events = stackalloc byte[3 * 16];
            int ready = Libc.EpollWait(_epoll, events, 3, timeoutMs);
            if (ready <= 0)
            {
                _readiness = ready == 0 ? Readiness.None : Readiness.Unknown;
                return false; // timeout, or EINTR: the caller's loop comes round again
            }

            Readiness readiness = Readiness.None;
            for (int i = 0; i < ready; i++)
            {
                uint tag = *(uint*)(events + (i * Libc.EpollEventSize) + Libc.EpollDataOffset);
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
            int n = (readiness & Readiness.Unicast) != 0 ? DrainSocket(_unicastHandle, multicast: false, consumer, max) : 0;
            return (readiness & Readiness.Multicast) != 0 ? n + DrainSocket(_multicastHandle, multicast: true, consumer, max - n) : n;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private int DrainSocket<TConsumer>(SafeSocketHandle socket, bool multicast, TConsumer consumer, int max)
        where TConsumer : IDatagramConsumer
    {
        int total = 0;
        while (total < max)
        {
            int want = Math.Min(max - total, _batch.Slots);
            int got = _batch.Receive(socket, want);
            Interlocked.Increment(ref _receiveCalls);
            if (got <= 0)
            {
                if (got < 0)
                {
                    Interlocked.Increment(ref _receiveErrors);
                }
                break;
            }

            long bytes = 0;
            long kernelDrops = -1;
            for (int i = 0; i < got; i++)
            {
                ReadOnlySpan<byte> datagram = _batch.Datagram(i);
                bytes += datagram.Length;
                kernelDrops = Math.Max(kernelDrops, _batch.DropCounter(i));
                if (_batch.Truncated(i))
                {
                    Interlocked.Increment(ref _receiveErrors); // larger than any datagram of ours: not for us
                    continue;
                }

                SocketAddress source = _batch.Source(i);
                if (multicast && source.Equals(_ownAddress))
                {
                    Interlocked.Increment(ref _ownDropped);
                    continue;
                }
                consumer.OnDatagram(datagram, source, multicast);
            }

            Interlocked.Add(ref _datagramsReceived, got);
            Interlocked.Add(ref _bytesReceived, bytes);
            if (kernelDrops >= 0)
            {
                RecordKernelDrops(multicast, kernelDrops);
            }
            total += got;
            if (got < want)
            {
                break; // the socket is empty
            }
        }
        return total;
    }

    private void RecordKernelDrops(bool multicast, long counter)
    {
        if (!multicast)
        {
            _unicastKernelDrops = Math.Max(_unicastKernelDrops, counter);
            return;
        }

        // The multicast socket's counter also counts our own datagrams that the filter dropped (every
        // group send, counted before it was sent, so this never overstates the real drops).
        long real = counter - Interlocked.Read(ref _groupSendsLooped);
        if (real > _multicastKernelDrops)
        {
            Interlocked.Exchange(ref _multicastKernelDrops, real);
        }
    }

    /// <summary>
    /// Attaches a classic BPF program that drops datagrams whose IPv4 source address and UDP source port
    /// are <paramref name="own"/> (our multicast, looped back by IP_MULTICAST_LOOP), so they never wake
    /// the loop. A socket filter sees the packet from the UDP header on; the IP header is reached
    /// through the kernel's SKF_NET_OFF window. Returns false when the kernel refused it.
    /// </summary>
    private static bool DropOwnInKernel(Socket multicast, IPEndPoint own)
    {
        const ushort LdHalfAbs = 0x28, LdWordAbs = 0x20, JeqK = 0x15, RetK = 0x06;
        const uint SkfNetOff = unchecked((uint)-0x100000);
        byte[] a = own.Address.GetAddressBytes();
        uint address = ((uint)a[0] << 24) | ((uint)a[1] << 16) | ((uint)a[2] << 8) | a[3];
        ReadOnlySpan<Libc.SockFilter> program =
        [
            new(LdHalfAbs, 0, 0, 0),                 // A = UDP source port
            new(JeqK, 0, 3, (uint)own.Port),         // not ours: accept
            new(LdWordAbs, 0, 0, SkfNetOff + 12),    // A = IPv4 source address
            new(JeqK, 0, 1, address),                // not ours: accept
            new(RetK, 0, 0, 0),                      // ours: drop
            new(RetK, 0, 0, uint.MaxValue),          // accept the whole datagram
        ];
        try
        {
            Libc.AttachFilter(multicast, program);
            return true;
        }
        catch (SocketException)
        {
            return false; // the managed source check still drops our own datagrams
        }
    }

    /// <summary>Leaves the group and closes the sockets; a <see cref="WaitForData"/> in progress returns.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (_sendBatch is { Count: > 0 })
        {
            Flush();
        }
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

    private void Close()
    {
        _unicast.Dispose();
        _multicast.Dispose();
        // Null only when the constructor failed part way.
        _epoll?.Dispose();
        _wake?.Dispose();
        _batch?.Dispose();
    }
}
