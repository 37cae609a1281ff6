using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// What exactly a board signs (Ed25519, 64-byte signatures): the authority-carrying bytes of a frame after a prefix that
/// binds them to the datagram or the record. Two kinds:
/// <code>
/// datagram-bound (vote requests and responses, the coordinator's heartbeat section), 25-byte prefix = header bytes 3..27:
/// +--------+-------------------+-------------------+-----------------------+-----------------------+----------------------
/// |  type  |  cluster id (u32) |  sender (u32)     |  incarnation (u64)    |  term (u64, header)   | frame bytes before the
/// +--------+-------------------+-------------------+-----------------------+-----------------------+ signature ...
///
/// record-bound (price records, wherever they travel: channel 1, repairs, catch-up replies), 5-byte prefix:
/// +--------+-------------------+---------------------------------------------------------------------------------------
/// |  0xA5  |  cluster id (u32) | PriceRecordFrame bytes 0..49 (record, previous term, signer)
/// +--------+-------------------+---------------------------------------------------------------------------------------
/// </code>
/// The datagram prefix starts with the datagram type (1..127), the record prefix with 0xA5, and the sizes differ, so no
/// signature of one kind verifies as the other. Neither covers the datagram sequence number: a replayed vote changes
/// nothing (one vote per term, each voter counted once per round; a response names its candidate), a replayed coordinator
/// heartbeat is refused by its beat number (see <see cref="ClusterHeartbeatSectionFrame"/>), a replayed record is a
/// duplicate in the log.
/// </summary>
public static class SignatureFormat
{
    /// <summary>Size of an Ed25519 signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>Size of an Ed25519 public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Size of the prefix of a datagram-bound signature.</summary>
    public const int DatagramPrefixSize = 25;

    /// <summary>Size of the prefix of a record-bound signature.</summary>
    public const int RecordPrefixSize = 5;

    /// <summary>The first byte of a record-bound message (outside the datagram types 1..127).</summary>
    public const byte RecordDomain = 0xA5;

    /// <summary>Longest signed message: the datagram prefix and the largest signed heartbeat section.</summary>
    public const int MaxMessageSize = DatagramPrefixSize + ClusterHeartbeatSectionFrame.MaxSignedSize;

    /// <summary>Writes the prefix of a datagram-bound signature (the header fields a datagram of this sender carries).</summary>
    public static int WriteDatagramPrefix(Span<byte> destination, MessageType type, uint clusterId, NodeId sender, ulong incarnation, ulong term)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], clusterId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], sender.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[17..], term);
        return DatagramPrefixSize;
    }

    /// <summary>Writes the prefix of a datagram-bound signature from a received header.</summary>
    public static int WriteDatagramPrefix(Span<byte> destination, in MessageHeader header) =>
        WriteDatagramPrefix(destination, header.Type, header.ClusterId, header.Sender, header.Incarnation, header.Term);

    /// <summary>Writes the prefix of a record-bound signature.</summary>
    public static int WriteRecordPrefix(Span<byte> destination, uint clusterId)
    {
        destination[0] = RecordDomain;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], clusterId);
        return RecordPrefixSize;
    }
}
