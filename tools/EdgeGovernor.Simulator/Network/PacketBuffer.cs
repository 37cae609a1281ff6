namespace EdgeGovernor.Simulator.Network;

/// <summary>
/// One datagram in flight: a pooled, reference-counted copy of the bytes a node sent. A group send
/// to a thousand receivers copies the bytes once and shares this buffer among the thousand
/// delivery events; the last delivery returns it to the <see cref="PacketPool"/>.
/// </summary>
public sealed class PacketBuffer
{
    private readonly byte[] _bytes;
    private int _references;

    internal PacketBuffer(int capacity) => _bytes = new byte[capacity];

    /// <summary>Number of valid bytes.</summary>
    public int Length { get; private set; }

    /// <summary>What the protocol adapter says this datagram is.</summary>
    public PacketClass Class { get; private set; }

    /// <summary>A run-unique number (the order of sending), used in the trace hash.</summary>
    public long Id { get; private set; }

    /// <summary>The datagram's bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    internal int References => _references;

    internal void Fill(ReadOnlySpan<byte> datagram, PacketClass packetClass, long id)
    {
        datagram.CopyTo(_bytes);
        Length = datagram.Length;
        Class = packetClass;
        Id = id;
        _references = 1;
    }

    internal void AddReference() => _references++;

    internal bool ReleaseReference() => --_references == 0;
}

/// <summary>
/// The pool of <see cref="PacketBuffer"/>s. Single-threaded, like the whole simulation: in steady
/// state no datagram allocates.
/// </summary>
public sealed class PacketPool
{
    /// <summary>The largest datagram the simulated network carries (an Ethernet MTU).</summary>
    public const int MaxDatagramBytes = 1500;

    private readonly Stack<PacketBuffer> _free = new();
    private long _nextId;

    /// <summary>Buffers created so far (the pool's high-water mark).</summary>
    public int Created { get; private set; }

    /// <summary>Buffers currently handed out.</summary>
    public int InUse { get; private set; }

    /// <summary>Takes a buffer holding a copy of <paramref name="datagram"/>, with one reference.</summary>
    public PacketBuffer Rent(ReadOnlySpan<byte> datagram, PacketClass packetClass)
    {
        if (datagram.Length > MaxDatagramBytes)
        {
            throw new ArgumentException($"datagram of {datagram.Length} bytes exceeds the simulated MTU of {MaxDatagramBytes}", nameof(datagram));
        }

        if (!_free.TryPop(out PacketBuffer? buffer))
        {
            buffer = new PacketBuffer(MaxDatagramBytes);
            Created++;
        }

        buffer.Fill(datagram, packetClass, ++_nextId);
        InUse++;
        return buffer;
    }

    /// <summary>Drops one reference; the last one returns the buffer to the pool.</summary>
    public void Release(PacketBuffer buffer)
    {
        if (buffer.References <= 0)
        {
            throw new InvalidOperationException("packet buffer released more often than referenced");
        }

        if (buffer.ReleaseReference())
        {
            InUse--;
            _free.Push(buffer);
        }
    }
}

/// <summary>How the network model and the statistics treat a datagram.</summary>
public enum PacketClass : byte
{
    /// <summary>Anything that is not application data: heartbeats, acknowledgements, votes.</summary>
    Control = 0,

    /// <summary>The first transmission of a multicast application message (the protocol adapter counts reliable
    /// unicast data, which no simulated workload sends, as <see cref="Control"/>).</summary>
    Data = 1,

    /// <summary>A retransmission or repair of application data.</summary>
    Repair = 2,

    /// <summary>A negative acknowledgement (resend request).</summary>
    Nack = 3,
}
