namespace EdgeGovernor.Simulator.PolicyEvaluation;

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
