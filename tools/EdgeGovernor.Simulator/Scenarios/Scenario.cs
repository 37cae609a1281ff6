using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>A validated scenario, ready to run.</summary>
/// <param name="File">Where it came from.</param>
/// <param name="Name">Its name.</param>
/// <param name="Description">What it shows.</param>
/// <param name="Config">The run (with the scenario's or the caller's seed).</param>
/// <param name="Source">The file as parsed (for the protocol and cluster sections).</param>
public sealed record Scenario(string File, string Name, string Description, SimulationConfig Config, ScenarioFile Source);
