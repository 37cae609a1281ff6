using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// The common rules the governor is compared with. None powers servers off; all run deferrable work as
/// soon as it arrives unless said otherwise; none knows the rack budget (their envelope violations are
/// counted, not prevented).
/// </summary>
public sealed class BaselinePolicy : IRackPolicy
{
    private readonly RackSpec _rack;
    private readonly Func<double, ServerEconomics, double> _cap;
    private readonly Func<double, bool> _runDeferrableNow;

    private BaselinePolicy(string name, RackSpec rack, Func<double, ServerEconomics, double> cap, Func<double, bool> runDeferrableNow)
    {
        Name = name;
        _rack = rack;
        _cap = cap;
        _runDeferrableNow = runDeferrableNow;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Every cap at its maximum, deferrable work at once.</summary>
    public static BaselinePolicy AlwaysMax(RackSpec rack) =>
        new("always-max", rack, (_, e) => e.Server.CapMaxWatts, _ => true);

    /// <summary>One fixed cap (W, clamped into each server's range), deferrable work at once.</summary>
    public static BaselinePolicy StaticCap(RackSpec rack, double watts) =>
        new("static-cap", rack, (_, e) => Math.Clamp(watts, e.Server.CapMinWatts, e.Server.CapMaxWatts), _ => true);

    /// <summary>Full power below <paramref name="thresholdCentsPerKwh"/>, minimum cap at or above it; deferrable work only below it unless its deadline leaves no slack.</summary>
    public static BaselinePolicy PriceThreshold(RackSpec rack, double thresholdCentsPerKwh) =>
        new("price-threshold", rack, (p, e) => p < thresholdCentsPerKwh ? e.Server.CapMaxWatts : e.Server.CapMinWatts, p => p < thresholdCentsPerKwh);

    /// <inheritdoc/>
    public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
    {
        double it = 0;
        for (int i = 0; i < _rack.Servers.Count; i++)
        {
            ServerEconomics e = _rack.Economics(i);
            ServerState st = input.Servers[i];
            ref ServerSetpoint sp = ref setpoints[i];
            sp = default;
            if (!st.PoweredOn)
            {
                sp.Command = PowerCommand.PowerOn;
                continue;
            }

            if (e.Class.Deferrable)
            {
                bool run = false;
                foreach (DeferrableJob j in input.Jobs)
                {
                    if (j.Server == i && j.RemainingSlots > 0)
                    {
                        run = _runDeferrableNow(input.PriceCentsPerKwh) || j.DeadlineInterval - input.Interval <= j.RemainingSlots;
                    }
                }

                sp.RunDeferrable = run;
                sp.CapWatts = run ? e.Server.CapMaxWatts : e.Server.CapMinWatts;
                sp.ExpectedWatts = run ? e.SlotWatts : e.IdleWatts;
            }
            else
            {
                sp.CapWatts = _cap(input.PriceCentsPerKwh, e);
                sp.ExpectedWork = Math.Min(st.Demand, e.WorkAtCap(sp.CapWatts));
                sp.ExpectedWatts = e.PowerForWork(sp.ExpectedWork);
            }

            it += sp.ExpectedWatts;
        }

        return new RackDecision(PolicyMode.Normal, it, _rack.FanWatts(it), 0, 0, it <= _rack.ItBudgetWatts);
    }
}
