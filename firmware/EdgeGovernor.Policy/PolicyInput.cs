namespace EdgeGovernor.Policy;

/// <summary>Everything the policy sees in one control period.</summary>
public ref struct PolicyInput
{
    /// <summary>Absolute hour index (>= 0, counted from a midnight, e.g. Unix seconds / 3600) of the price interval in force; hour of day is <c>Hour % 24</c>.</summary>
    public long Hour;

    /// <summary>Price in force (c/kWh; may be negative). Ignored when <see cref="PriceStale"/>.</summary>
    public double PriceCentsPerKwh;

    /// <summary>The price in force is past its validity (or missing).</summary>
    public bool PriceStale;

    /// <summary>Day-ahead prices published so far, c/kWh: index 0 is the current hour, 1 the next, ... NaN marks unknown hours.</summary>
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
