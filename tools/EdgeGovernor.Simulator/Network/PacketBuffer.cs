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
