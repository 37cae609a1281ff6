using System.Buffers.Binary;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// One price record on the wire: the record and the term of the record before it (Raft's log matching). Carried on the
/// reliable multicast channel <see cref="ClusterOptions.PriceChannel"/> and, up to 25 at a time, in a catch-up reply
/// (<see cref="CatchUpReplyFrame"/>).
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 46 bytes):
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
///     ... previous term           |
/// +-------------------------------+
/// </code>
/// The previous term (the term of the record at <c>Index - 1</c>) lets a receiver check that its log matches the
/// coordinator's; it is not part of the record.
/// </remarks>
/// <param name="Record">The record.</param>
/// <param name="PreviousTerm">The term of the record at <c>Record.Index - 1</c> in the sender's log (0: none).</param>
public readonly record struct PriceRecordFrame(PriceRecord Record, ulong PreviousTerm)
{
    /// <summary>Encoded size in bytes, including the previous term.</summary>
    public const int Size = 46;

    /// <summary>Writes the frame; false when <paramref name="destination"/> is too short.</summary>
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
        return true;
    }

    /// <summary>
    /// Parses and validates a frame: false (never an exception) when the input is too short, the record is not
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
        if (!record.IsWellFormed || previousTerm > record.Term)
        {
            return false;
        }

        frame = new PriceRecordFrame(record, previousTerm);
        return true;
    }
}
