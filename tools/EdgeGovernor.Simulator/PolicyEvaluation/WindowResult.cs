using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>All policies over one window, and how the governor compares.</summary>
/// <remarks><see cref="OfflineGap"/> certifies the optimum: it lies within [best feasible, upper bound], whose distance
/// relative to the bound is the gap; <see cref="ImprovementShare"/> is <c>(governor - best baseline) / (upper bound - best baseline)</c>.</remarks>
public sealed record WindowResult(
    string Label,
    string From,
    int Intervals,
    IReadOnlyList<PolicyResult> Policies,
    double OfflineUpperBoundEur,
    double OfflineFeasibleEur,
    bool OfflineExact,
    int OfflineIterations,
    double GovernorShareOfOptimum,
    bool GovernorBeatsBaselines,
    double EnergySavedKwhAtEqualWork,
    double Co2AvoidedKgAtEqualWork,
    double BestBaselineEur,
    double ImprovementShare,
    double OfflineGap,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PhysicalReplayResult? Physical = null);
