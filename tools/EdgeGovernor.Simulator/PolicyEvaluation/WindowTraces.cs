using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Traces of a window, for the plot.</summary>
public sealed record WindowTraces(double[] Prices, IReadOnlyList<(string Policy, HourTrace Trace)> Policies);
