using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The payload of a <see cref="MessageType.UnicastData"/> datagram: one message of the reliable channel to one peer.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------+-----------------------------------------------+
/// |    channel    |    sequence number (64 bits, from 1) ...      |  0
/// +---------------+                                               +
/// |                                                               |  4
/// +               +-----------------------------------------------+
/// |      ...      |  first unacknowledged sequence (64 bits) ...  |  8
/// +---------------+                                               +
/// |                                                               | 12
/// +               +-----------------------------------------------+
/// |      ...      |            message (0..1183 bytes)           ...  16
/// +---------------+-----------------------------------------------+
/// </code>
/// Big-endian; sequence at byte 1, first unacknowledged at byte 9, message from byte 17. The first unacknowledged
/// sequence tells the receiver that everything below it was acknowledged or abandoned. <see cref="TryRead"/> rejects
/// fewer than <see cref="HeaderSize"/> bytes, a zero sequence or first unacknowledged, and a first unacknowledged
/// above the sequence.
/// </summary>
/// <param name="Channel">0: the application; 1..255: a registered component.</param>
/// <param name="Sequence">The message's sequence number (per sender incarnation and peer).</param>
/// <param name="FirstUnacked">The sender's lowest unacknowledged sequence.</param>
public readonly record struct UnicastDataFrame(byte Channel, ulong Sequence, ulong FirstUnacked)
{
    /// <summary>Bytes before the message.</summary>
    public const int HeaderSize = 17;

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

        destination[0] = Channel;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], Sequence);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], FirstUnacked);
        message.CopyTo(destination[HeaderSize..]);
        written = HeaderSize + message.Length;
        return true;
    }

    /// <summary>Reads a frame; false when too short or the sequence numbers are out of range (see the type's remarks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out UnicastDataFrame frame, out ReadOnlySpan<byte> message)
    {
        frame = default;
        message = default;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        var f = new UnicastDataFrame(source[0], BinaryPrimitives.ReadUInt64BigEndian(source[1..]), BinaryPrimitives.ReadUInt64BigEndian(source[9..]));
        if (f.Sequence is 0 or > WireLimits.MaxSequence || f.FirstUnacked == 0 || f.FirstUnacked > f.Sequence)
        {
            return false;
        }

        frame = f;
        message = source[HeaderSize..];
        return true;
    }
}
