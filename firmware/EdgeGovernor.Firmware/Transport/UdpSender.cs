using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// The send side of <see cref="UdpTransport"/>: every datagram leaves from the unicast socket, one <c>sendto</c> each,
/// or, while the sending thread batches (<see cref="BeginBatch"/>), copied into a <see cref="SendBatch"/> and sent
/// with one <c>sendmmsg</c> per <see cref="UdpTransport.SendBatchSlots"/> datagrams at the flush. Counts what it sent
/// and what failed (never throws), and the group sends whose looped-back copy the kernel filter drops
/// (<see cref="GroupSendsLooped"/>, which the receive side subtracts from the multicast socket's drop counter).
/// </summary>
internal sealed class UdpSender
{
    private readonly Socket _unicast;
    private readonly SafeSocketHandle _unicastHandle;
    private readonly SocketAddress _groupAddress;
    private readonly bool _ownFilteredInKernel;
    private SendBatch? _batch; // created at the first BeginBatch (512 KiB)
    private int _batchingThread;
    private volatile bool _closed;
    private long _datagramsSent;
    private long _bytesSent;
    private long _sendErrors;
    private long _groupSendsLooped;

    /// <summary>Sends from <paramref name="unicast"/>; group sends go to <paramref name="group"/>.</summary>
    public UdpSender(Socket unicast, IPEndPoint group, bool ownFilteredInKernel)
    {
        _unicast = unicast;
        _unicastHandle = unicast.SafeHandle;
        _groupAddress = group.Serialize();
        _ownFilteredInKernel = ownFilteredInKernel;
    }

    /// <summary>Datagrams sent.</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>Bytes sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Sends that failed.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Group sends whose looped-back copy the kernel filter drops (counted before the send).</summary>
    public long GroupSendsLooped => Interlocked.Read(ref _groupSendsLooped);

    /// <summary>True while datagrams are held for the next flush.</summary>
    public bool HasHeld => _batch is { Count: > 0 };

    /// <summary>See <see cref="UdpTransport.BeginBatch"/>.</summary>
    public void BeginBatch()
    {
        _batch ??= new SendBatch(UdpTransport.SendBatchSlots, AddressFamily.InterNetwork);
        _batchingThread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Stops holding sends (the held ones stay until <see cref="Flush"/>).</summary>
    public void EndBatch() => _batchingThread = 0;

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
        if (_batchingThread != 0 && _batchingThread == Environment.CurrentManagedThreadId && !_closed && _batch is not null)
        {
            if (_batch.TryAdd(datagram, destination, group))
            {
                return true;
            }
            Flush();
            if (_batch.TryAdd(datagram, destination, group))
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

    /// <summary>Sends every held datagram (<c>sendmmsg</c>); returns how many were held.</summary>
    public int Flush()
    {
        if (_batch is null)
        {
            return 0;
        }

        int count = _batch.Count;
        int i = 0;
        try
        {
            while (i < count)
            {
                int sent = _batch.Send(_unicastHandle, i);
                if (sent > 0)
                {
                    long bytes = 0;
                    for (int j = i; j < i + sent; j++)
                    {
                        bytes += _batch.Length(j);
                    }
                    Interlocked.Add(ref _datagramsSent, sent);
                    Interlocked.Add(ref _bytesSent, bytes);
                    i += sent;
                    continue;
                }

                // Datagram i failed (ENOBUFS under a burst, unreachable, ...): count it and go on with the rest.
                Interlocked.Increment(ref _sendErrors);
                if (_batch.IsGroup(i) && _ownFilteredInKernel)
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
        _batch.Clear();
        return count;
    }

    /// <summary>No more batching: later sends go straight to the (closed) socket.</summary>
    public void Close() => _closed = true;
}
