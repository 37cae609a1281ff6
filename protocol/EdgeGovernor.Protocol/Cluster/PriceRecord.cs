namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// One record of the replicated price log: the price of electricity for an interval, as the coordinator of
/// <see cref="Term"/> appended it at position <see cref="Index"/>.
/// </summary>
/// <remarks>Its wire form, with the previous term for log matching, is <see cref="Wire.PriceRecordFrame"/>.</remarks>
/// <param name="IntervalStartMs">Start of the interval the price is valid for (unix milliseconds, inclusive).</param>
/// <param name="IntervalEndMs">End of the interval (unix milliseconds, exclusive).</param>
/// <param name="PriceE4">The price in 1/10,000 eurocent per kWh (can be negative).</param>
/// <param name="Source">Who supplied the price (a feed id); <see cref="NoOpSource"/> marks a term's no-op record.</param>
/// <param name="Term">The coordinator term that appended the record.</param>
/// <param name="Index">The record's position in the log (1-based).</param>
public readonly record struct PriceRecord(long IntervalStartMs, long IntervalEndMs, int PriceE4, ushort Source, ulong Term, ulong Index)
{
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

    /// <summary>
    /// Index in 1..<see cref="Wire.WireLimits.MaxLogIndex"/>, term in 1..<see cref="Wire.WireLimits.MaxTerm"/>; a priced
    /// record has a plausible interval (<see cref="Wire.WireLimits.IsPlausibleInterval"/>: within 2000..2200, start &lt; end,
    /// at most 7 days long); a no-op record carries no interval and no price (start, end and price 0).
    /// </summary>
    public bool IsWellFormed =>
        Index is >= 1 and <= Wire.WireLimits.MaxLogIndex
        && Wire.WireLimits.IsValidTerm(Term)
        && (IsNoOp ? IntervalStartMs == 0 && IntervalEndMs == 0 && PriceE4 == 0 : Wire.WireLimits.IsPlausibleInterval(IntervalStartMs, IntervalEndMs));
}
