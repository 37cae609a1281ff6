namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// A decoded ENTSO-E Transparency Platform reply: either day-ahead prices (<c>Publication_MarketDocument</c>,
/// document type A44) or an acknowledgement that there is nothing to publish yet
/// (<c>Acknowledgement_MarketDocument</c>, e.g. reason 999 "No matching data found"), which means
/// "poll again later" and never a price.
/// </summary>
internal sealed record EntsoeDocument
{
    /// <summary>True for an acknowledgement: no prices (yet).</summary>
    public bool IsAcknowledgement { get; init; }

    /// <summary>The acknowledgement's reason code (999: no matching data), or null.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>The acknowledgement's reason text, or null.</summary>
    public string? ReasonText { get; init; }

    /// <summary>The currency of every price (checked against the options).</summary>
    public string Currency { get; init; } = "";

    /// <summary>The Periods of all TimeSeries, in document order.</summary>
    public IReadOnlyList<EntsoePeriod> Periods { get; init; } = [];

    /// <summary>
    /// The intervals of one resolution over all Periods, in time order: (start, end, price per MWh). Intervals
    /// written twice (overlapping Periods or TimeSeries) must agree; otherwise <paramref name="error"/> says where.
    /// </summary>
    public bool TryGetIntervals(TimeSpan resolution, out List<(DateTimeOffset Start, DateTimeOffset End, double Price)> intervals, out string? error)
    {
        var byStart = new SortedDictionary<DateTimeOffset, double>();
        foreach (EntsoePeriod period in Periods)
        {
            if (period.Resolution != resolution)
            {
                continue;
            }
            for (int i = 0; i < period.Prices.Length; i++)
            {
                DateTimeOffset start = period.IntervalStart(i);
                if (byStart.TryGetValue(start, out double seen) && seen != period.Prices[i])
                {
                    intervals = [];
                    error = FormattableString.Invariant($"the interval starting {start:yyyy-MM-ddTHH:mmZ} has two prices, {seen} and {period.Prices[i]}");
                    return false;
                }
                byStart[start] = period.Prices[i];
            }
        }
        intervals = new List<(DateTimeOffset, DateTimeOffset, double)>(byStart.Count);
        foreach ((DateTimeOffset start, double price) in byStart)
        {
            intervals.Add((start, start + resolution, price));
        }
        error = null;
        return true;
    }

    /// <summary>The resolutions present, finest first.</summary>
    public IReadOnlyList<TimeSpan> Resolutions => Periods.Select(p => p.Resolution).Distinct().Order().ToArray();
}
