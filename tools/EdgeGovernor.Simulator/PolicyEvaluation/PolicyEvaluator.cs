using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Runs every policy over a window of a scenario and compares them.</summary>
public static class PolicyEvaluator
{
    /// <summary>
    /// Runs governor, the baselines and the offline optimum on <paramref name="scenario"/>. With
    /// <paramref name="physical"/>, the governor's run is also replayed on the hardware layer's simulated rack
    /// (<see cref="RackReplay"/>).
    /// </summary>
    public static WindowResult Evaluate(string label, string from, Scenario scenario, BaselineOptions baselines, out WindowTraces traces, bool physical = false)
    {
        RackSpec rack = scenario.Rack;
        var offline = new OfflineOptimum(scenario);
        RecordingPolicy? recorded = physical ? new RecordingPolicy(new Governor(rack), scenario.Intervals, rack.Servers.Count) : null;
        Ledger? governorLedger = null;
        var policies = new IRackPolicy[]
        {
            recorded ?? (IRackPolicy)new Governor(rack),
            BaselinePolicy.AlwaysMax(rack),
            BaselinePolicy.StaticCap(rack, baselines.StaticCapWatts),
            BaselinePolicy.PriceThreshold(rack, baselines.ThresholdCentsPerKwh),
            offline,
        };
        var results = new List<PolicyResult>();
        var traceList = new List<(string, HourTrace)>();
        foreach (IRackPolicy p in policies)
        {
            var trace = new HourTrace(scenario.Intervals);
            Ledger l = RackSimulator.Run(scenario, p, trace);
            governorLedger ??= l;
            traceList.Add((p.Name, trace));
            results.Add(new PolicyResult(
                p.Name, l.NetValueEur, l.ObjectiveEur, l.EnergyKwh, l.CostEur, l.Co2Kg, l.WorkUnits, l.DeferrableUnits,
                l.DeadlinesMissed, l.EnvelopeViolations, l.RuleViolations, l.PowerCycles, l.PeakRackWatts / 1000));
        }

        PolicyResult gov = results[0];
        PolicyResult max = results[1];
        OfflineBound bound = offline.Result;
        bool beats = results.Skip(1).Take(3).All(b => gov.ObjectiveEur > b.ObjectiveEur);
        double workRatio = max.WorkUnits > 0 ? gov.WorkUnits / max.WorkUnits : 1;
        traces = new WindowTraces(scenario.Prices[..scenario.Intervals], traceList);
        return new WindowResult(
            label,
            from,
            scenario.Intervals,
            results,
            bound.UpperBoundEur,
            bound.FeasibleEur,
            bound.Exact,
            bound.Iterations,
            bound.UpperBoundEur != 0 ? gov.ObjectiveEur / bound.UpperBoundEur : 1,
            beats,
            (max.EnergyKwh * workRatio) - gov.EnergyKwh,
            (max.Co2Kg * workRatio) - gov.Co2Kg,
            recorded is null ? null : RackReplay.Run(scenario, recorded, governorLedger!));
    }
}
