using System.Text.Json;
using System.Text.Json.Serialization;

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
}

/// <summary>A link profile as written; in a link override, missing fields inherit the default.</summary>
public class LinkSection
{
    /// <summary>Latency distribution.</summary>
    public LatencySection? Latency { get; set; }

    /// <summary>Per-receiver loss of data datagrams.</summary>
    public double? DataLoss { get; set; }

    /// <summary>Per-receiver loss of control datagrams.</summary>
    public double? ControlLoss { get; set; }

    /// <summary>Sets both <see cref="DataLoss"/> and <see cref="ControlLoss"/> where they are not given.</summary>
    public double? Loss { get; set; }

    /// <summary>Probability of a second copy.</summary>
    public double? Duplicate { get; set; }

    /// <summary>Probability of an extra reordering delay.</summary>
    public double? Reorder { get; set; }

    /// <summary>Largest extra reordering delay (microseconds).</summary>
    public long? ReorderDelayUs { get; set; }
}

/// <summary>The network section: the default link plus sender-side loss and overrides.</summary>
public sealed class NetworkSection : LinkSection
{
    /// <summary>Loss at the sender of data datagrams (every receiver misses them).</summary>
    public double? SenderDataLoss { get; set; }

    /// <summary>Loss at the sender of control datagrams.</summary>
    public double? SenderControlLoss { get; set; }

    /// <summary>Link overrides (later ones win).</summary>
    public List<LinkOverrideSection>? Links { get; set; }
}

/// <summary>A link override: a profile for every link from a node in <see cref="From"/> to a node in <see cref="To"/>.</summary>
public sealed class LinkOverrideSection : LinkSection
{
    /// <summary>Sender node set.</summary>
    public string? From { get; set; }

    /// <summary>Receiver node set.</summary>
    public string? To { get; set; }
}

/// <summary>A latency distribution: <c>constant</c> (<c>us</c>), <c>uniform</c> (<c>min_us</c>, <c>max_us</c>) or <c>lognormal</c> (<c>median_us</c>, <c>sigma</c>, <c>min_us</c>, <c>max_us</c>).</summary>
public sealed class LatencySection
{
    /// <summary>"constant", "uniform" or "lognormal".</summary>
    public string? Kind { get; set; }

    /// <summary>Constant latency.</summary>
    public long? Us { get; set; }

    /// <summary>Minimum (uniform) or floor (lognormal).</summary>
    public long? MinUs { get; set; }

    /// <summary>Maximum (uniform) or cap (lognormal).</summary>
    public long? MaxUs { get; set; }

    /// <summary>Median (lognormal).</summary>
    public long? MedianUs { get; set; }

    /// <summary>Shape (lognormal).</summary>
    public double? Sigma { get; set; }
}

/// <summary>Who publishes, how often, how much.</summary>
public sealed class TrafficSection
{
    /// <summary>Node set of the publishers.</summary>
    public string? Publishers { get; set; }

    /// <summary>Messages per second per publisher.</summary>
    public double? RatePerSecond { get; set; }

    /// <summary>Payload bytes per message (20 to 1200).</summary>
    public int? PayloadBytes { get; set; }

    /// <summary>When publishing starts (seconds).</summary>
    public double? StartSeconds { get; set; }

    /// <summary>When publishing stops (seconds).</summary>
    public double? StopSeconds { get; set; }

    /// <summary>Exponential gaps between messages instead of a fixed period.</summary>
    public bool? Poisson { get; set; }
}

/// <summary>One fault: <c>crash</c>, <c>restart</c> (<c>nodes</c>), <c>partition</c> (<c>groups</c>), <c>one_way</c> (<c>nodes</c> to <c>to</c>) or <c>heal</c>.</summary>
public sealed class FaultSection
{
    /// <summary>When (seconds).</summary>
    public double? AtSeconds { get; set; }

    /// <summary>What.</summary>
    public string? Kind { get; set; }

    /// <summary>Node set that crashes or restarts, or that sends into a one-way block.</summary>
    public string? Nodes { get; set; }

    /// <summary>Partition groups (node sets).</summary>
    public List<string>? Groups { get; set; }

    /// <summary>Receivers of a one-way block.</summary>
    public string? To { get; set; }
}

/// <summary>Overrides of the protocol's <c>NodeOptions</c>, in microseconds where named <c>_us</c>.</summary>
public sealed class ProtocolSection
{
    /// <summary>NodeOptions.HeartbeatIntervalUs.</summary>
    public long? HeartbeatIntervalUs { get; set; }

    /// <summary>NodeOptions.FailureTimeoutUs.</summary>
    public long? FailureTimeoutUs { get; set; }

    /// <summary>NodeOptions.RttEstimateUs.</summary>
    public long? RttEstimateUs { get; set; }

    /// <summary>NodeOptions.NackBackoffFactor.</summary>
    public double? NackBackoffFactor { get; set; }

    /// <summary>NodeOptions.GapCheckIntervalUs.</summary>
    public long? GapCheckIntervalUs { get; set; }

    /// <summary>NodeOptions.MaxNackRoundsAfterFailure.</summary>
    public int? MaxNackRoundsAfterFailure { get; set; }

    /// <summary>NodeOptions.MulticastSendWindow.</summary>
    public int? MulticastSendWindow { get; set; }

    /// <summary>NodeOptions.MulticastRetention.</summary>
    public int? MulticastRetention { get; set; }

    /// <summary>NodeOptions.UnicastWindow.</summary>
    public int? UnicastWindow { get; set; }
}

/// <summary>Source-generated JSON metadata for scenario files (no reflection; AOT-clean).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScenarioFile))]
public sealed partial class ScenarioJsonContext : JsonSerializerContext;
