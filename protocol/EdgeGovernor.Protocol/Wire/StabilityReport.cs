using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// One entry of a heartbeat's report list (see <see cref="HeartbeatFrame"/>): how far the heartbeat's sender delivered
/// one origin's stream.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                        origin node id                         |  0
/// +---------------------------------------------------------------+
/// |                  origin incarnation (64 bits)                 |  4
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |                  delivered up to (64 bits)                    | 12
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// </code>
/// Big-endian, <see cref="Size"/> bytes. Any values are readable (an unknown origin or incarnation matches no stream).
/// </summary>
/// <param name="Origin">The stream's origin.</param>
/// <param name="Incarnation">The origin's incarnation.</param>
/// <param name="Delivered">The reporter delivered everything up to this sequence.</param>
public readonly record struct StabilityReport(NodeId Origin, ulong Incarnation, ulong Delivered)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 20;

    /// <summary>Writes the entry; false when the destination is too short.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[12..], Delivered);
        written = Size;
        return true;
    }

    /// <summary>Reads an entry from the first <see cref="Size"/> bytes; false when shorter.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out StabilityReport report)
    {
        report = default;
        if (source.Length < Size)
        {
            return false;
        }

        report = new StabilityReport(
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source)),
            BinaryPrimitives.ReadUInt64BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[12..]));
        return true;
    }
}
