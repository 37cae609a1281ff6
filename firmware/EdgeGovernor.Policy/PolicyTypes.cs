using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy;

/// <summary>What the firmware measured of one server at the start of a control period.</summary>
/// <param name="PoweredOn">The server is up (a server booting in this hour counts as down until the hour ends).</param>
/// <param name="HoursInState">Whole hours since it last changed between up and down (at least 1).</param>
/// <param name="CyclesToday">Power-offs since midnight.</param>
/// <param name="Demand">Interactive work waiting, as a fraction of the server's full-load throughput (0..1).</param>
public readonly record struct ServerState(bool PoweredOn, int HoursInState, int CyclesToday, double Demand);

/// <summary>A deferrable job queued on a server.</summary>
/// <param name="Server">Server slot.</param>
/// <param name="RemainingSlots">Hours of uncapped running still needed.</param>
/// <param name="DeadlineHour">Absolute hour by whose start the job must be done.</param>
public readonly record struct DeferrableJob(int Server, int RemainingSlots, long DeadlineHour);

/// <summary>Power-state change the policy asks for.</summary>
public enum PowerCommand : byte
{
    /// <summary>Leave the server up or down as it is.</summary>
    Keep = 0,

    /// <summary>Boot the server (it is down); the boot takes this hour.</summary>
    PowerOn = 1,

    /// <summary>Power the server off (it is up).</summary>
    PowerOff = 2,
}

/// <summary>The policy's setpoint for one server for this control period.</summary>
public struct ServerSetpoint
{
    /// <summary>Power-state change.</summary>
    public PowerCommand Command;

    /// <summary>Power cap to program (W); 0 for a server that is or goes down.</summary>
    public double CapWatts;

    /// <summary>Let the queued deferrable job run this hour (uncapped).</summary>
    public bool RunDeferrable;

    /// <summary>Power the model expects the server to draw (W).</summary>
    public double ExpectedWatts;

    /// <summary>Work fraction of full throughput the model expects.</summary>
    public double ExpectedWork;

    /// <summary>The hour's plan action behind this setpoint.</summary>
    public HourAction Action;
}

/// <summary>Which rule set produced a decision.</summary>
public enum PolicyMode : byte
{
    /// <summary>Price in force: economics decide within the envelope.</summary>
    Normal = 0,

    /// <summary>Stale price, safe policy "fixed cap": every cap at the configured cap, no power cycling.</summary>
    StaleFixedCap = 1,

    /// <summary>Stale price, safe policy "fallback price": economics at the configured fallback price.</summary>
    StaleFallbackPrice = 2,
}

/// <summary>What a stale price falls back to.</summary>
public enum SafePolicy : byte
{
    /// <summary>Hold every cap at <see cref="GovernorOptions.SafeCapWatts"/> and cycle nothing.</summary>
    FixedCap = 0,

    /// <summary>Decide as if the price were <see cref="GovernorOptions.FallbackPriceCentsPerKwh"/> now and in the forecast.</summary>
    FallbackPrice = 1,
}

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
    /// (made with the older prices) is used, and servers without any plan keep their power state.
    /// </summary>
    public int MaxPlanSolvesPerCall { get; init; }

    /// <summary>Look-ahead of the interactive servers' power-cycling plan (h, 1..48).</summary>
    public int InteractiveHorizonHours { get; init; } = 24;
}

/// <summary>Rack-wide outcome of one decision.</summary>
/// <param name="Mode">Rule set used.</param>
/// <param name="ItWatts">Expected IT power (W).</param>
/// <param name="FanWatts">Fan power floor to program (W): minimum speed plus what the IT heat needs.</param>
/// <param name="ShadowPriceCentsPerKwh">Rack shadow price of the budget on top of the energy price (c/kWh of IT energy); 0 when the budget does not bind.</param>
/// <param name="ShedSlots">Deferrable hours dropped this period because the envelope could not hold them.</param>
/// <param name="EnvelopeHeld">Expected IT power is within the IT budget (PDU budget after fans, thermal limit).</param>
public readonly record struct RackDecision(PolicyMode Mode, double ItWatts, double FanWatts, double ShadowPriceCentsPerKwh, int ShedSlots, bool EnvelopeHeld)
{
    /// <summary>Expected rack power, fans included (W).</summary>
    public double RackWatts => ItWatts + FanWatts;
}

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
}
