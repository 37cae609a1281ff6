using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The payload of a <see cref="MessageType.UnicastAck"/> datagram: what the sender of the ack received of the reliable
/// channel from the ack's addressee.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |             acknowledged incarnation (64 bits)                |  0
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |             cumulative: received up to (64 bits)              |  8
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |   selective mask (64 bits): bit i set = cumulative + 2 + i    | 16
/// +                     received as well                          +
/// |                                                               |
/// +---------------------------------------------------------------+
/// </code>
/// Big-endian, exactly <see cref="Size"/> bytes (<see cref="TryRead"/> rejects another length).
/// </summary>
/// <param name="Incarnation">The incarnation of the addressee whose messages are acknowledged.</param>
/// <param name="Cumulative">Every sequence up to here was received.</param>
/// <param name="Mask">Bit i (least significant first): <paramref name="Cumulative"/> + 2 + i was received.</param>
public readonly record struct UnicastAckFrame(ulong Incarnation, ulong Cumulative, ulong Mask)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 24;

    /// <summary>Writes the frame; false when the destination is too short.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Cumulative);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], Mask);
        written = Size;
        return true;
    }

    /// <summary>Reads a frame; false when not exactly <see cref="Size"/> bytes or the cumulative acknowledgement exceeds
    /// <see cref="WireLimits.MaxSequence"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out UnicastAckFrame frame)
    {
        frame = default;
        if (source.Length != Size)
        {
            return false;
        }

        var f = new UnicastAckFrame(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]));
        if (f.Cumulative > WireLimits.MaxSequence)
        {
            return false;
        }

        frame = f;
        return true;
    }
}
