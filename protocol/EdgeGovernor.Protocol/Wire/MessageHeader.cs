using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The fixed 40-byte header of every EdgeGovernor datagram (network byte order). See
/// <see cref="WireCodec"/> for the full datagram diagram.
/// </summary>
/// <param name="Type">The message type.</param>
/// <param name="ClusterId">The cluster this datagram belongs to.</param>
/// <param name="Sender">The sending node.</param>
/// <param name="Incarnation">The sender's incarnation (strictly increases at every restart).</param>
/// <param name="Term">The sender's current term (set by the cluster layer; 0 before any election).</param>
/// <param name="Sequence">The per-datagram sequence number (1, 2, ... per sender incarnation; replay protection).</param>
/// <param name="PayloadLength">Payload bytes that follow the header (0..<see cref="WireCodec.MaxPayload"/>).</param>
/// <param name="KeyId">The id of the cluster key that produced the tag.</param>
public readonly record struct MessageHeader(
    MessageType Type,
    uint ClusterId,
    NodeId Sender,
    ulong Incarnation,
    ulong Term,
    ulong Sequence,
    ushort PayloadLength,
    byte KeyId)
{
    /// <summary>Writes the header into the first <see cref="WireCodec.HeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        Span<byte> d = destination[..WireCodec.HeaderSize];
        BinaryPrimitives.WriteUInt16BigEndian(d, WireCodec.Magic);
        d[2] = WireCodec.Version;
        d[3] = (byte)Type;
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], ClusterId);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], Sender.Value);
        BinaryPrimitives.WriteUInt64BigEndian(d[12..], Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(d[20..], Term);
        BinaryPrimitives.WriteUInt64BigEndian(d[28..], Sequence);
        BinaryPrimitives.WriteUInt16BigEndian(d[36..], PayloadLength);
        d[38] = KeyId;
        d[39] = 0;
    }

    /// <summary>Reads the header fields (no validation: see <see cref="WireCodec.TryDecode"/>).</summary>
    public static MessageHeader Read(ReadOnlySpan<byte> source)
    {
        ReadOnlySpan<byte> s = source[..WireCodec.HeaderSize];
        return new MessageHeader(
            (MessageType)s[3],
            BinaryPrimitives.ReadUInt32BigEndian(s[4..]),
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(s[8..])),
            BinaryPrimitives.ReadUInt64BigEndian(s[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(s[20..]),
            BinaryPrimitives.ReadUInt64BigEndian(s[28..]),
            BinaryPrimitives.ReadUInt16BigEndian(s[36..]),
            s[38]);
    }
}
