namespace EdgeGovernor.Policy;

/// <summary>Everything the policy sees in one control period.</summary>
public ref struct PolicyInput
{
    /// <summary>
    /// Absolute index (>= 0) of the market interval in force, at the rack's interval length
    /// (<see cref="Model.RackSpec.IntervalMinutes"/>): (Unix seconds + offset) / interval seconds, where the fixed offset
    /// puts the policy's midnight (e.g. the market zone's standard-time offset). The index counts instants, so a day of
    /// the policy is always <see cref="Model.RackSpec.IntervalsPerDay"/> intervals: local days of 92 or 100 quarter-hours
    /// at the clock changes need no special case. Interval of the day is <c>Interval % IntervalsPerDay</c>.
    /// </summary>
    public long Interval;

    /// <summary>Price in force (c/kWh; may be negative). Ignored when <see cref="PriceStale"/>.</summary>
    public double PriceCentsPerKwh;

    /// <summary>The price in force is past its validity (or missing).</summary>
    public bool PriceStale;

    /// <summary>Day-ahead prices published so far, c/kWh: one per market interval: index 0 is the current interval, 1 the next, ... NaN marks unknown intervals.</summary>
    public ReadOnlySpan<double> DayAhead;

    /// <summary>One entry per server slot.</summary>
    public ReadOnlySpan<ServerState> Servers;

    /// <summary>Deferrable jobs queued (at most one per server).</summary>
    public ReadOnlySpan<DeferrableJob> Jobs;

    /// <summary>Carbon intensity of the grid in force (kg CO2 per kWh); NaN = unknown, then no carbon cost is charged.</summary>
    public double CarbonKgPerKwh;

    /// <summary>Carbon intensity per planning interval (kg CO2 per kWh), aligned with <see cref="DayAhead"/>; NaN marks unknown intervals.</summary>
    public ReadOnlySpan<double> CarbonAhead;
}
