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
