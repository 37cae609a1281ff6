using System.Text.Json.Serialization;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>One policy's figures over one window.</summary>
public sealed record PolicyResult(
    string Policy,
    double NetValueEur,
    double ObjectiveEur,
    double EnergyKwh,
    double CostEur,
    double Co2Kg,
    double WorkUnits,
    double DeferrableUnits,
    int DeadlinesMissed,
    int EnvelopeViolations,
    int RuleViolations,
    int PowerCycles,
    double PeakRackKw);

/// <summary>All policies over one window, and how the governor compares.</summary>
public sealed record WindowResult(
    string Label,
    string From,
    int Hours,
    IReadOnlyList<PolicyResult> Policies,
    double OfflineUpperBoundEur,
    double OfflineFeasibleEur,
    bool OfflineExact,
    int OfflineIterations,
    double GovernorShareOfOptimum,
    bool GovernorBeatsBaselines,
    double EnergySavedKwhAtEqualWork,
    double Co2AvoidedKgAtEqualWork,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PhysicalReplayResult? Physical = null);

/// <summary>The whole evaluation.</summary>
public sealed record EvaluationReport(
    string Prices,
    string? Carbon,
    string? Demand,
    string Servers,
    int ServerCount,
    double BudgetWatts,
    double ItBudgetWatts,
    IReadOnlyList<string> Notes,
    IReadOnlyList<WindowResult> Windows);

/// <summary>Source-generated JSON for the report (AOT-clean, no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EvaluationReport))]
public sealed partial class PolicyEvaluationJsonContext : JsonSerializerContext;

/// <summary>Settings of the baselines.</summary>
public sealed record BaselineOptions
{
    /// <summary>Static cap (W).</summary>
    public double StaticCapWatts { get; init; } = 150;

    /// <summary>Price threshold (c/kWh).</summary>
    public double ThresholdCentsPerKwh { get; init; } = 15;
}

/// <summary>Traces of a window, for the plot.</summary>
public sealed record WindowTraces(double[] Prices, IReadOnlyList<(string Policy, HourTrace Trace)> Policies);

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
        RecordingPolicy? recorded = physical ? new RecordingPolicy(new Governor(rack), scenario.Hours, rack.Servers.Count) : null;
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
            var trace = new HourTrace(scenario.Hours);
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
        traces = new WindowTraces(scenario.Prices[..scenario.Hours], traceList);
        return new WindowResult(
            label,
            from,
            scenario.Hours,
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
