using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// The receive side of <see cref="UdpTransport"/>: takes the queued datagrams of a socket with <c>recvmmsg</c> into
/// the preallocated slots of a <see cref="ReceiveBatch"/> and hands each to the consumer on the calling thread.
/// Drops datagrams too large for a slot (counted as receive errors) and our own looped-back multicast should one get
/// past the kernel filter; keeps the kernel's drop counters (SO_RXQ_OVFL) per socket. Allocation-free.
/// </summary>
internal sealed class UdpReceiver : IDisposable
{
    private readonly ReceiveBatch _batch;
    private readonly SocketAddress _ownAddress;
    private readonly UdpSender _sender;
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _receiveErrors;
    private long _ownDropped;
    private long _oversized;
    private long _unicastKernelDrops;
    private long _multicastKernelDrops;
    private long _receiveCalls;

    /// <summary>Receives up to <paramref name="slots"/> datagrams per call; <paramref name="own"/> is our unicast endpoint.</summary>
    public UdpReceiver(int slots, IPEndPoint own, UdpSender sender)
    {
        _batch = new ReceiveBatch(slots, AddressFamily.InterNetwork);
        _ownAddress = own.Serialize();
        _sender = sender;
    }

    /// <summary>Datagrams received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    /// <summary>Bytes received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary><c>recvmmsg</c> calls made.</summary>
    public long ReceiveCalls => Interlocked.Read(ref _receiveCalls);

    /// <summary>Failed system calls and datagrams too large for a slot.</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Datagrams the kernel dropped with a socket's receive buffer full.</summary>
    public long QueueDrops => Interlocked.Read(ref _unicastKernelDrops) + Interlocked.Read(ref _multicastKernelDrops);

    /// <summary>Datagrams dropped as too large for a slot (also in <see cref="ReceiveErrors"/>).</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    /// <summary>Our own multicast datagrams dropped here.</summary>
    public long OwnDropped => Interlocked.Read(ref _ownDropped);

    /// <summary>Takes up to <paramref name="max"/> queued datagrams from <paramref name="socket"/> without waiting; returns how many.</summary>
    public int Drain<TConsumer>(SafeSocketHandle socket, bool multicast, TConsumer consumer, int max)
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
                    Interlocked.Increment(ref _oversized);
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
        long real = counter - _sender.GroupSendsLooped;
        if (real > _multicastKernelDrops)
        {
            Interlocked.Exchange(ref _multicastKernelDrops, real);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _batch.Dispose();
}
