namespace EdgeGovernor.Policy;

/// <summary>Configuration of the governor.</summary>
public sealed record GovernorOptions
{
    /// <summary>Rule set when the price is stale.</summary>
    public SafePolicy SafePolicy { get; init; } = SafePolicy.FallbackPrice;

    /// <summary>Cap for <see cref="SafePolicy.FixedCap"/> (W, clamped into each server's range).</summary>
    public double SafeCapWatts { get; init; } = 150;

    /// <summary>Price for <see cref="SafePolicy.FallbackPrice"/> (c/kWh).</summary>
    public double FallbackPriceCentsPerKwh { get; init; } = 30;

    /// <summary>
    /// Most plan solves (dynamic programmes) per call, 0 = no limit. With a limit, the once-a-day re-plan when
    /// new day-ahead prices arrive is spread over the following control periods: until then the kept plan
    /// (made with the older prices) is used, and servers without any plan keep their power state. An interval's
    /// planning starts at the first server the previous interval left without a plan (round robin), so with more
    /// server groups to solve than solves in an interval every server is still planned every few intervals instead of
    /// the last ones never.
    /// </summary>
    public int MaxPlanSolvesPerCall { get; init; }

    /// <summary>Look-ahead of the interactive servers' power-cycling plan (h, 1..48).</summary>
    public int InteractiveHorizonHours { get; init; } = 24;

    /// <summary>
    /// Carbon price (EUR, or the run's currency, per tonne CO2; >= 0). The governor decides on the effective price
    /// <c>price + CarbonPricePerTonne × intensity / 10</c> (c/kWh, intensity in kg/kWh); 0 = energy price only.
    /// </summary>
    public double CarbonPricePerTonne { get; init; }
}
