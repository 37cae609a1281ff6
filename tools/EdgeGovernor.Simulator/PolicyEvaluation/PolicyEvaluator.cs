using System.Globalization;
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
        double bestBaseline = results.Skip(1).Take(3).Max(b => b.ObjectiveEur);
        // Every schedule that keeps the envelope and the rules is a lower bound on the optimum: the governor's too.
        double feasible = Math.Max(bound.FeasibleEur, gov.EnvelopeViolations == 0 && gov.RuleViolations == 0 ? gov.ObjectiveEur : double.NegativeInfinity);
        double workRatio = max.WorkUnits > 0 ? gov.WorkUnits / max.WorkUnits : 1;
        traces = new WindowTraces(scenario.Prices[..scenario.Intervals], traceList);
        return new WindowResult(
            label,
            from,
            scenario.Intervals,
            results,
            bound.UpperBoundEur,
            feasible,
            feasible >= bound.UpperBoundEur - (1e-7 * Math.Max(1, Math.Abs(bound.UpperBoundEur))),
            bound.Iterations,
            bound.UpperBoundEur != 0 ? gov.ObjectiveEur / bound.UpperBoundEur : 1,
            beats,
            (max.EnergyKwh * workRatio) - gov.EnergyKwh,
            (max.Co2Kg * workRatio) - gov.Co2Kg,
            bestBaseline,
            bound.UpperBoundEur > bestBaseline ? (gov.ObjectiveEur - bestBaseline) / (bound.UpperBoundEur - bestBaseline) : 1,
            Math.Abs(bound.UpperBoundEur) > 0 ? (bound.UpperBoundEur - feasible) / Math.Abs(bound.UpperBoundEur) : 0,
            recorded is null ? null : RackReplay.Run(scenario, recorded, governorLedger!));
    }

    /// <summary>Runs the governor on <paramref name="scenario"/> at each carbon price of <paramref name="carbonPrices"/> (per tonne CO2); <paramref name="traces"/> get each run's trace.</summary>
    public static IReadOnlyList<CarbonTradeOff> CarbonTradeOff(Scenario scenario, IReadOnlyList<double> carbonPrices, out IReadOnlyList<(string Policy, HourTrace Trace)> traces)
    {
        var rows = new List<CarbonTradeOff>(carbonPrices.Count);
        var list = new List<(string, HourTrace)>(carbonPrices.Count);
        traces = list;
        foreach (double cp in carbonPrices)
        {
            var trace = new HourTrace(scenario.Intervals);
            Ledger l = RackSimulator.Run(scenario, new Governor(scenario.Rack, new GovernorOptions { CarbonPricePerTonne = cp }), trace);
            list.Add((string.Create(CultureInfo.InvariantCulture, $"governor at {cp:G4}/t CO2"), trace));
            rows.Add(new CarbonTradeOff(cp, l.CostEur, l.Co2Kg, l.NetValueEur, l.NetValueEur - (cp * l.Co2Kg / 1000), l.EnergyKwh, l.WorkUnits, l.DeadlinesMissed, l.EnvelopeViolations));
        }

        return rows;
    }
}
