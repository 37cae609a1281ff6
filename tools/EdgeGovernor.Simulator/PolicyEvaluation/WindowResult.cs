using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

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
