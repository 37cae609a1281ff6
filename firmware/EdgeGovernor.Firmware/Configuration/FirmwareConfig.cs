using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

// The configuration file of `edgegov run --config <file>`, read with source-generated
// System.Text.Json (ConfigJsonContext). Every property has a safe default so that a minimal file
// (node id, roster, key file) is enough; ConfigValidator reports every bad value with its JSON path.

/// <summary>Root of the <c>edgegov</c> configuration file.</summary>
internal sealed class FirmwareConfig
{
    /// <summary>This board's node id (1..2^32-1). Must be in <see cref="Roster"/> to vote or lead.</summary>
    public uint NodeId { get; set; }

    /// <summary>Cluster id carried in every datagram header; boards of other clusters are dropped.</summary>
    public uint ClusterId { get; set; } = 1;

    /// <summary>Voting members (Raft configuration). Other nodes with the key join as observers.</summary>
    public uint[] Roster { get; set; } = [];

    /// <summary>File with the cluster key(s): lines <c>keyId:hexsecret</c>, first line current.</summary>
    public string ClusterKeyFile { get; set; } = "";

    /// <summary>The keys read from <see cref="ClusterKeyFile"/> during validation (current first).</summary>
    [JsonIgnore]
    public IReadOnlyList<KeyEntry> Keys { get; internal set; } = [];

    /// <summary>File with this board's Ed25519 signing key (<c>ed25519:hexseed</c>, mode 0600 or 0400; made by
    /// <c>edgegov keygen</c>). Default <c>signing.key</c> beside the configuration file.</summary>
    public string SigningKeyFile { get; set; } = "signing.key";

    /// <summary>The seed read from <see cref="SigningKeyFile"/> during validation.</summary>
    [JsonIgnore]
    public byte[] SigningSeed { get; internal set; } = [];

    /// <summary>Directory for persisted votes and hardware restore state.</summary>
    public string StateDirectory { get; set; } = "/var/lib/edgegov";

    /// <summary>Multicast and unicast sockets.</summary>
    public NetworkConfig Network { get; set; } = new();

    /// <summary>The rack this board controls.</summary>
    public RackConfig Rack { get; set; } = new();

    /// <summary>Job classes running on the rack's servers.</summary>
    public JobConfig[] Jobs { get; set; } = [];

    /// <summary>The market's interval, which the governor plans at.</summary>
    public MarketConfig Market { get; set; } = new();

    /// <summary>Load contracts with partner boards (private to the two; see <see cref="ContractConfig"/>).</summary>
    public ContractConfig[] Contracts { get; set; } = [];

    /// <summary>Where the coordinator gets the price from.</summary>
    public PriceFeedConfig PriceFeed { get; set; } = new();

    /// <summary>The grid's carbon intensity (a series, or the fixed default) and the carbon price.</summary>
    public CarbonConfig Carbon { get; set; } = new();

    /// <summary>Election and price-acceptance thresholds.</summary>
    public ThresholdConfig Thresholds { get; set; } = new();

    /// <summary>Protocol and control-loop timers.</summary>
    public TimerConfig Timers { get; set; } = new();

    /// <summary>What holds when no valid price is in force.</summary>
    public SafePolicyConfig SafePolicy { get; set; } = new();

    /// <summary>HTTP endpoint for /metrics and /status, and logging.</summary>
    public ObservabilityConfig Observability { get; set; } = new();
}
