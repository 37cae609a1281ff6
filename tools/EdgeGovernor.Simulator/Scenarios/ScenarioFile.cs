using System.Text.Json;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>
/// A scenario file as written (snake_case JSON; unknown fields are errors). Node sets are strings:
/// <c>"all"</c>, <c>"none"</c>, or comma-separated indices and ranges such as <c>"0-9,12"</c>.
/// Times are seconds (fractions allowed) unless a field says <c>_us</c>.
/// <see cref="ScenarioLoader"/> validates it and turns it into an <see cref="Engine.SimulationConfig"/>.
/// </summary>
public sealed class ScenarioFile
{
    /// <summary>Short name, e.g. "loss-30".</summary>
    public string? Name { get; set; }

    /// <summary>What the scenario shows.</summary>
    public string? Description { get; set; }

    /// <summary>Number of nodes (required).</summary>
    public int? Nodes { get; set; }

    /// <summary>Default seed (the command line's <c>--seed</c> wins).</summary>
    public ulong? Seed { get; set; }

    /// <summary>Length of the run in simulated seconds (required).</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>A restarted node must deliver what is published this long after its restart on (default 2).</summary>
    public double? JoinGraceSeconds { get; set; }

    /// <summary>Retention sampling period in seconds (default 0.1).</summary>
    public double? SamplePeriodSeconds { get; set; }

    /// <summary>The network.</summary>
    public NetworkSection? Network { get; set; }

    /// <summary>The application traffic.</summary>
    public TrafficSection? Traffic { get; set; }

    /// <summary>Faults in any order.</summary>
    public List<FaultSection>? Faults { get; set; }

    /// <summary>Protocol option overrides (timers, windows); missing fields keep the protocol's defaults.</summary>
    public ProtocolSection? Protocol { get; set; }

    /// <summary>Settings for the cluster scenarios (issue 3), read by the code in <c>Cluster/</c>.</summary>
    public JsonElement? Cluster { get; set; }

    /// <summary>Load contracts between nodes and their offer workload (read by the code in <c>Contracts/</c>).</summary>
    public ContractSection? Contracts { get; set; }
}
