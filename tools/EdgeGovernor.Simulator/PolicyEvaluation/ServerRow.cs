using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>One row of a server CSV: the SPECpower curve and any optional settings it carries.</summary>
public sealed record ServerRow(string Name, PowerCurve Curve, int Line, IReadOnlyDictionary<string, string> Extra);
