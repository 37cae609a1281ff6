using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The payload of a <see cref="MessageType.MulticastData"/> or <see cref="MessageType.Repair"/> datagram: one message
/// of an origin's reliable ordered multicast stream (a repair may be sent by any holder, not only the origin).
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
/// |                sequence number (64 bits, from 1)              | 12
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |       stable point announced by the origin (64 bits)          | 20
/// +                                                               +
/// |                                                               |
/// +---------------+-----------------------------------------------+
/// |    channel    |            message (0..1171 bytes)           ...  28
/// +---------------+-----------------------------------------------+
/// </code>
/// Big-endian. <see cref="TryRead"/> rejects a zero origin, incarnation or sequence; an original (not a repair) must
/// also come from its origin and announce a stable point below its sequence (<see cref="IsValidOriginal"/>).
/// </summary>
/// <param name="Origin">The node whose stream this message belongs to.</param>
/// <param name="Incarnation">The origin's incarnation (one stream per incarnation).</param>
/// <param name="Sequence">The message's sequence number in the stream.</param>
/// <param name="Stable">The origin's stable point: every member it counts delivered up to here.</param>
/// <param name="Channel">0: the application; 1..255: a registered component.</param>
public readonly record struct MulticastDataFrame(NodeId Origin, ulong Incarnation, ulong Sequence, ulong Stable, byte Channel)
{
    /// <summary>Bytes before the message.</summary>
    public const int HeaderSize = 29;

    /// <summary>Largest message that fits one datagram.</summary>
    public const int MaxMessage = WireCodec.MaxPayload - HeaderSize;

    /// <summary>Writes the frame and <paramref name="message"/>; false when the destination is too short or the message too long.</summary>
    public bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> message, out int written)
    {
        written = 0;
        if (message.Length > MaxMessage || destination.Length < HeaderSize + message.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[12..], Sequence);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..], Stable);
        destination[28] = Channel;
        message.CopyTo(destination[HeaderSize..]);
        written = HeaderSize + message.Length;
        return true;
    }

    /// <summary>Reads a frame; false when shorter than <see cref="HeaderSize"/>, origin, incarnation or sequence is 0, or the
    /// sequence or stable point exceeds <see cref="WireLimits.MaxSequence"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out MulticastDataFrame frame, out ReadOnlySpan<byte> message)
    {
        frame = default;
        message = default;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        var f = new MulticastDataFrame(
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source)),
            BinaryPrimitives.ReadUInt64BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[20..]),
            source[28]);
        if (!f.Origin.IsValid || f.Incarnation == 0 || f.Sequence is 0 or > WireLimits.MaxSequence || f.Stable > WireLimits.MaxSequence)
        {
            return false;
        }

        frame = f;
        message = source[HeaderSize..];
        return true;
    }

    /// <summary>True when this frame is a well-formed original: sent by its origin's incarnation (<paramref name="header"/>)
    /// with a stable point below its sequence. Repairs are exempt (any holder sends them, the stable point as known to it).</summary>
    public bool IsValidOriginal(in MessageHeader header) =>
        Stable < Sequence && Origin == header.Sender && Incarnation == header.Incarnation;
}
