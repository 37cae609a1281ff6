using System.Text.Json.Serialization;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Traces of a window, for the plot.</summary>
public sealed record WindowTraces(double[] Prices, IReadOnlyList<(string Policy, HourTrace Trace)> Policies);
