using System.Buffers.Binary;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// One price record on the wire: the record, the term of the record before it (Raft's log matching), the coordinator that
/// made it and its signature. Carried on the
/// reliable multicast channel <see cref="ClusterOptions.PriceChannel"/> and, up to 25 at a time, in a catch-up reply
/// (<see cref="CatchUpReplyFrame"/>).
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 114 bytes):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                 interval start (unix ms, int64)               |
/// +---------------------------------------------------------------+
/// |                 interval end (unix ms, int64)                 |
/// +---------------------------------------------------------------+
/// |          price (1/10,000 eurocent per kWh, int32)             |
/// +-------------------------------+-------------------------------+
/// |        source (uint16)        |    term (uint64) ...
/// +-------------------------------+-------------------------------+
///     ... term                    |    index (uint64) ...
/// +-------------------------------+-------------------------------+
///     ... index                   |    previous term (uint64) ...
/// +-------------------------------+-------------------------------+
///     ... previous term           |        signer (uint32)        |
/// +-------------------------------+-------------------------------+
/// |  signature (64 bytes, Ed25519, the signer's key) over the     |
/// |  record prefix (SignatureFormat: 0xA5, cluster id) and bytes  |
/// |  0..49 above                                                  |
/// +---------------------------------------------------------------+
/// </code>
/// The previous term (the term of the record at <c>Index - 1</c>) lets a receiver check that its log matches the
/// coordinator's; it is not part of the record. The signer is the coordinator of the record's term, which signed it when
/// it appended it; the signature travels with the record (the log keeps it, <see cref="Cluster.PriceSeals"/>), so a record
/// relayed by another node in a catch-up reply verifies as well. Log matching keeps the previous term of a committed
/// record the same in every log, so the relayed bytes are the signed bytes.
/// </remarks>
/// <param name="Record">The record.</param>
/// <param name="PreviousTerm">The term of the record at <c>Record.Index - 1</c> in the sender's log (0: none).</param>
/// <param name="Signer">The coordinator that made and signed the record.</param>
public readonly record struct PriceRecordFrame(PriceRecord Record, ulong PreviousTerm, NodeId Signer = default)
{
    /// <summary>Bytes covered by the signature (after the record prefix).</summary>
    public const int SignedSize = 50;

    /// <summary>Encoded size in bytes, the signature included.</summary>
    public const int Size = SignedSize + SignatureFormat.SignatureSize;

    /// <summary>The signature of an encoded frame (<see cref="TryRead"/> checked its length).</summary>
    public static ReadOnlySpan<byte> Signature(ReadOnlySpan<byte> source) => source.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Where the signature of an encoded frame goes.</summary>
    public static Span<byte> SignatureArea(Span<byte> destination) => destination.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Writes the fields (bytes 0..<see cref="SignedSize"/>; the signature goes to <see cref="SignatureArea"/>);
    /// false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteInt64BigEndian(destination, Record.IntervalStartMs);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], Record.IntervalEndMs);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], Record.PriceE4);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], Record.Source);
        BinaryPrimitives.WriteUInt64BigEndian(destination[22..], Record.Term);
        BinaryPrimitives.WriteUInt64BigEndian(destination[30..], Record.Index);
        BinaryPrimitives.WriteUInt64BigEndian(destination[38..], PreviousTerm);
        BinaryPrimitives.WriteUInt32BigEndian(destination[46..], Signer.Value);
        return true;
    }

    /// <summary>
    /// Parses and validates a frame: false (never an exception) when the input is shorter than <see cref="Size"/>, the
    /// signer is node 0, the record is not
    /// <see cref="PriceRecord.IsWellFormed"/> (index or term 0 or above 2^63 - 1; a priced record whose interval is not
    /// within <see cref="WireLimits.MinIntervalMs"/>..<see cref="WireLimits.MaxIntervalMs"/>, empty, negative or longer
    /// than <see cref="WireLimits.MaxIntervalLengthMs"/>; a no-op record with an interval or a price), or the previous term
    /// is above the term.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PriceRecordFrame frame)
    {
        frame = default;
        if (source.Length < Size)
        {
            return false;
        }

        var record = new PriceRecord(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[22..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[30..]));
        ulong previousTerm = BinaryPrimitives.ReadUInt64BigEndian(source[38..]);
        var signer = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[46..]));
        if (!record.IsWellFormed || previousTerm > record.Term || !signer.IsValid)
        {
            return false;
        }

        frame = new PriceRecordFrame(record, previousTerm, signer);
        return true;
    }
}
