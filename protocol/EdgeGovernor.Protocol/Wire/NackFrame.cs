using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The payload of a <see cref="MessageType.Nack"/> datagram: which messages of a stream the sender misses.
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
/// |                 first missing sequence (64 bits)              | 12
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |          mask (64 bits): bit i set = first + i missing        | 20
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// </code>
/// Big-endian, exactly <see cref="Size"/> bytes. <see cref="TryRead"/> rejects another length, a first missing
/// sequence of 0, and one within 64 of 2^64 (the mask would wrap).
/// </summary>
/// <param name="Origin">The stream's origin.</param>
/// <param name="Incarnation">The origin's incarnation.</param>
/// <param name="FirstMissing">The lowest sequence the mask describes.</param>
/// <param name="Mask">Bit i (least significant first): <paramref name="FirstMissing"/> + i is missing.</param>
public readonly record struct NackFrame(NodeId Origin, ulong Incarnation, ulong FirstMissing, ulong Mask)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 28;

    /// <summary>Writes the frame; false when the destination is too short.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[12..], FirstMissing);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..], Mask);
        written = Size;
        return true;
    }

    /// <summary>Reads a frame; false when not exactly <see cref="Size"/> bytes or the first missing sequence is not
    /// in 1..<see cref="WireLimits.MaxSequence"/> (so first missing + 64 never wraps).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out NackFrame frame)
    {
        frame = default;
        if (source.Length != Size)
        {
            return false;
        }

        var f = new NackFrame(
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source)),
            BinaryPrimitives.ReadUInt64BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[20..]));
        if (f.FirstMissing is 0 or > WireLimits.MaxSequence)
        {
            return false;
        }

        frame = f;
        return true;
    }
}
