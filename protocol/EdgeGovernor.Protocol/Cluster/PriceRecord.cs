using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// One record of the replicated price log: the price of electricity for an interval, as the coordinator of
/// <see cref="Term"/> appended it at position <see cref="Index"/>.
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
/// The previous term (the term of the record at <c>Index - 1</c>) travels with the record so that a receiver
/// can check that its log matches the coordinator's (Raft's log matching), but it is not part of the record.
/// </remarks>
/// <param name="IntervalStartMs">Start of the interval the price is valid for (unix milliseconds, inclusive).</param>
/// <param name="IntervalEndMs">End of the interval (unix milliseconds, exclusive).</param>
/// <param name="PriceE4">The price in 1/10,000 eurocent per kWh (can be negative).</param>
/// <param name="Source">Who supplied the price (a feed id); <see cref="NoOpSource"/> marks a term's no-op record.</param>
/// <param name="Term">The coordinator term that appended the record.</param>
/// <param name="Index">The record's position in the log (1-based).</param>
public readonly record struct PriceRecord(long IntervalStartMs, long IntervalEndMs, int PriceE4, ushort Source, ulong Term, ulong Index)
{
    /// <summary>Encoded size in bytes, including the previous term.</summary>
    public const int Size = 46;

    /// <summary>The source id of a no-op record (a term's first record when no price is in force).</summary>
    public const ushort NoOpSource = 0;

    /// <summary>1 eurocent/kWh in the units of <see cref="PriceE4"/>.</summary>
    public const int UnitsPerCent = 10_000;

    /// <summary>The price in eurocent per kWh.</summary>
    public double CentsPerKWh => PriceE4 / (double)UnitsPerCent;

    /// <summary>True for a term's no-op record, which carries no price.</summary>
    public bool IsNoOp => Source == NoOpSource;

    /// <summary>True when <paramref name="nowMs"/> lies in [start, end) and the record carries a price.</summary>
    public bool Covers(long nowMs) => !IsNoOp && IntervalStartMs <= nowMs && nowMs < IntervalEndMs;

    /// <summary>Converts a price in EUR/MWh (1 EUR/MWh = 0.1 c/kWh) to <see cref="PriceE4"/> units, rounding to nearest.</summary>
    public static int PriceE4FromEuroPerMWh(double euroPerMWh)
    {
        double units = Math.Round(euroPerMWh * (UnitsPerCent / 10.0), MidpointRounding.AwayFromZero);
        if (!double.IsFinite(units) || units > int.MaxValue || units < int.MinValue)
        {
            throw new ArgumentOutOfRangeException(nameof(euroPerMWh), euroPerMWh, "The price is not finite or out of range.");
        }

        return (int)units;
    }

    /// <summary>Writes the record and <paramref name="previousTerm"/>; false when <paramref name="destination"/> is too short.</summary>
    public bool TryWrite(Span<byte> destination, ulong previousTerm)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteInt64BigEndian(destination, IntervalStartMs);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], IntervalEndMs);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], PriceE4);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], Source);
        BinaryPrimitives.WriteUInt64BigEndian(destination[22..], Term);
        BinaryPrimitives.WriteUInt64BigEndian(destination[30..], Index);
        BinaryPrimitives.WriteUInt64BigEndian(destination[38..], previousTerm);
        return true;
    }

    /// <summary>
    /// Parses and validates a record: false (never an exception) when the input is too short, the index or term is 0,
    /// the previous term is above the term, or a priced record has an empty or negative interval.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PriceRecord record, out ulong previousTerm)
    {
        record = default;
        previousTerm = 0;
        if (source.Length < Size)
        {
            return false;
        }

        var r = new PriceRecord(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[22..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[30..]));
        ulong prev = BinaryPrimitives.ReadUInt64BigEndian(source[38..]);
        if (!r.IsWellFormed || prev > r.Term)
        {
            return false;
        }

        record = r;
        previousTerm = prev;
        return true;
    }

    /// <summary>Index and term at least 1; a priced record has start &lt; end.</summary>
    public bool IsWellFormed => Index != 0 && Term != 0 && (IsNoOp || IntervalStartMs < IntervalEndMs);
}
