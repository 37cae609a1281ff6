namespace EdgeGovernor.Simulator.Network;

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
