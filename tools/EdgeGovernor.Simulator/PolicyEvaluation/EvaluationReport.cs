using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>The whole evaluation. Every money figure (the members say Eur) is in <see cref="Currency"/>, the price file's
/// currency, job values included.</summary>
public sealed record EvaluationReport(
    string Prices,
    string? Carbon,
    string? Demand,
    string Servers,
    int ServerCount,
    double BudgetWatts,
    double ItBudgetWatts,
    string Currency,
    int IntervalMinutes,
    IReadOnlyList<string> Notes,
    IReadOnlyList<WindowResult> Windows)
{
    /// <summary>The governor at each carbon price of <c>--carbon-prices</c> over the whole range, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CarbonTradeOff>? CarbonTradeOff { get; init; }
}
