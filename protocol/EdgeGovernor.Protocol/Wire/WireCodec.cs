using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// Flyweight codec of the EdgeGovernor datagram: it reads and writes fields in place in a caller's
/// span, allocating nothing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-------------------------------+---------------+---------------+
/// |       magic 0x4547 ("EG")     |  version (1)  |     type      |  0
/// +-------------------------------+---------------+---------------+
/// |                          cluster id                           |  4
/// +---------------------------------------------------------------+
/// |                        sender node id                         |  8
/// +---------------------------------------------------------------+
/// |                  sender incarnation (64 bits)                 | 12
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |                         term (64 bits)                        | 20
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |          datagram sequence number (64 bits, from 1)           | 28
/// +                                                               +
/// |                                                               |
/// +-------------------------------+---------------+---------------+
/// |        payload length         |    key id     |  reserved (0) | 36
/// +-------------------------------+---------------+---------------+
/// |                 payload (0..1200 bytes)                      ...  40
/// +---------------------------------------------------------------+
/// |   tag: HMAC-SHA256(key[key id], bytes 0 .. 40+length)[0..16]  |  40 + length
/// +                          (16 bytes)                           +
/// </code>
/// All integers are big-endian. The tag covers header and payload, so every header field (key id
/// included) is authenticated. The datagram sequence number is per sender incarnation and counts
/// every datagram the sender emits (retransmissions included); it drives the receiver's replay
/// window and is independent of the channel sequence numbers carried inside payloads.
/// </summary>
public static class WireCodec
{
    /// <summary>The magic number ("EG").</summary>
    public const ushort Magic = 0x4547;

    /// <summary>The only version this build speaks.</summary>
    public const byte Version = 1;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderSize = 40;

    /// <summary>Truncated HMAC-SHA256 tag size in bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Largest payload in bytes (keeps every datagram under one MTU).</summary>
    public const int MaxPayload = 1200;

    /// <summary>Header plus tag.</summary>
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Largest datagram in bytes.</summary>
    public const int MaxDatagram = Overhead + MaxPayload;

    /// <summary>Datagram size for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int DatagramSize(int payloadLength) => Overhead + payloadLength;

    /// <summary>
    /// Writes header and payload into <paramref name="destination"/> and leaves room for the tag
    /// (fill it with <see cref="KeyRing.Seal"/>). Returns the datagram length, or 0 when the payload is
    /// too large or the destination too small.
    /// </summary>
    public static int Encode(Span<byte> destination, in MessageHeader header, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload || destination.Length < Overhead + payload.Length || header.PayloadLength != payload.Length)
        {
            return 0;
        }

        header.Write(destination);
        payload.CopyTo(destination[HeaderSize..]);
        return Overhead + payload.Length;
    }

    /// <summary>
    /// The message type a datagram's header names, without any check (for a log line about a datagram that could not be
    /// handled); <see cref="MessageType.None"/> when it is too short to hold one.
    /// </summary>
    public static MessageType PeekType(ReadOnlySpan<byte> datagram) => datagram.Length > 3 ? (MessageType)datagram[3] : MessageType.None;

    /// <summary>
    /// Validates the structure of a datagram (length, magic, version, cluster, payload length) and reads
    /// its header and payload. Does not check the tag (see <see cref="KeyRing.Verify"/>) nor replay.
    /// </summary>
    /// <returns><see cref="DropReason.None"/> when the datagram is well formed, else why it is not.</returns>
    public static DropReason TryDecode(ReadOnlySpan<byte> datagram, uint clusterId, out MessageHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (datagram.Length < Overhead)
        {
            return DropReason.TooShort;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != Magic)
        {
            return DropReason.BadMagic;
        }

        if (datagram[2] != Version)
        {
            return DropReason.UnknownVersion;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[36..]);
        if (length > MaxPayload || datagram.Length != Overhead + length)
        {
            return DropReason.LengthMismatch;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != clusterId)
        {
            return DropReason.WrongCluster;
        }

        header = MessageHeader.Read(datagram);
        payload = datagram.Slice(HeaderSize, length);
        return DropReason.None;
    }
}
