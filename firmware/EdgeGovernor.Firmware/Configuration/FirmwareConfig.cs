using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

// The configuration file of `edgegov run --config <file>`, read with source-generated
// System.Text.Json (ConfigJsonContext). Every property has a safe default so that a minimal file
// (node id, roster, key file) is enough; ConfigValidator reports every bad value with its JSON path.

/// <summary>Root of the <c>edgegov</c> configuration file.</summary>
public sealed class FirmwareConfig
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

    /// <summary>Directory for persisted votes and hardware restore state.</summary>
    public string StateDirectory { get; set; } = "/var/lib/edgegov";

    /// <summary>Multicast and unicast sockets.</summary>
    public NetworkConfig Network { get; set; } = new();

    /// <summary>The rack this board controls.</summary>
    public RackConfig Rack { get; set; } = new();

    /// <summary>Job classes running on the rack's servers.</summary>
    public JobConfig[] Jobs { get; set; } = [];

    /// <summary>Where the coordinator gets the price from.</summary>
    public PriceFeedConfig PriceFeed { get; set; } = new();

    /// <summary>Election and price-acceptance thresholds.</summary>
    public ThresholdConfig Thresholds { get; set; } = new();

    /// <summary>Protocol and control-loop timers.</summary>
    public TimerConfig Timers { get; set; } = new();

    /// <summary>What holds when no valid price is in force.</summary>
    public SafePolicyConfig SafePolicy { get; set; } = new();

    /// <summary>HTTP endpoint for /metrics and /status, and logging.</summary>
    public ObservabilityConfig Observability { get; set; } = new();
}

/// <summary>Sockets: a multicast socket joined on <see cref="Interface"/> and a unicast socket.</summary>
public sealed class NetworkConfig
{
    /// <summary>IPv4 multicast group, in 224.0.0.0/4 (239.0.0.0/8 recommended: administratively scoped).</summary>
    public string MulticastGroup { get; set; } = "239.192.42.1";

    /// <summary>UDP port of the multicast group.</summary>
    public int MulticastPort { get; set; } = 47420;

    /// <summary>IPv4 address of the interface to join the group on and send multicast from.</summary>
    public string Interface { get; set; } = "127.0.0.1";

    /// <summary>UDP port of the unicast socket (all sends leave from it). 0 picks a free port.</summary>
    public int UnicastPort { get; set; } = 47421;

    /// <summary>Multicast TTL: 1 keeps traffic on the local segment.</summary>
    public int MulticastTtl { get; set; } = 1;

    /// <summary>Deliver our own multicast to local sockets (needed when nodes share one host).</summary>
    public bool MulticastLoopback { get; set; } = true;

    /// <summary>Peers' unicast endpoints known in advance ("host:port"); others are learned from traffic.</summary>
    public PeerConfig[] Peers { get; set; } = [];

    /// <summary>Slots of the receive queue between the socket threads and the protocol loop.</summary>
    public int ReceiveQueueSlots { get; set; } = 1024;
}

/// <summary>A peer's unicast endpoint known from configuration.</summary>
public sealed class PeerConfig
{
    /// <summary>The peer's node id.</summary>
    public uint NodeId { get; set; }

    /// <summary>"a.b.c.d:port".</summary>
    public string Endpoint { get; set; } = "";
}

/// <summary>The rack: its hardware backend, PDU budget, thermal limits and servers.</summary>
public sealed class RackConfig
{
    /// <summary>
    /// <c>simulated</c> (the embedded default) or <c>linux</c>: the board's RAPL packages (one per configured
    /// server), hwmon temperatures and fans through sysfs under <see cref="SysfsRoot"/>.
    /// </summary>
    public string Hardware { get; set; } = "simulated";

    /// <summary>Root of the kernel's file systems for <c>linux</c> ("/" on a board; a fake tree in tests).</summary>
    public string SysfsRoot { get; set; } = "/";

    /// <summary>State file of the settings found at start (<c>linux</c>): restored on stop and after a crash.</summary>
    public string StateFile { get; set; } = "/var/lib/edgegov/actuators.json";

    /// <summary>PDU budget in watts that the rack's total draw must stay under.</summary>
    public double BudgetWatts { get; set; } = 6000;

    /// <summary>Highest allowed server temperature in degrees Celsius.</summary>
    public double MaxTemperatureC { get; set; } = 85;

    /// <summary>Lowest fan duty (0..1) whatever the price says.</summary>
    public double MinFanDuty { get; set; } = 0.3;

    /// <summary>
    /// <c>linux</c>: how the board's cpufreq policies follow the RAPL caps. <c>follow-cap</c> (default; a no-op
    /// without policies) lowers each policy's <c>scaling_max_freq</c> with its package's cap; <c>off</c> leaves them alone.
    /// </summary>
    public string Cpufreq { get; set; } = "follow-cap";

    /// <summary>Inlet (cold aisle) temperature for the simulated rack, degrees Celsius.</summary>
    public double InletTemperatureC { get; set; } = 24;

    /// <summary>Server groups in the rack.</summary>
    public ServerConfig[] Servers { get; set; } = [new ServerConfig { Name = "server", Count = 8 }];
}

/// <summary>A group of identical servers.</summary>
public sealed class ServerConfig
{
    /// <summary>Name, unique in the rack.</summary>
    public string Name { get; set; } = "";

    /// <summary>Power-curve model: a <c>server</c> of ../shared/data/power/specpower_curves.csv, or "generic".</summary>
    public string Model { get; set; } = "generic";

    /// <summary>How many servers of this kind.</summary>
    public int Count { get; set; } = 1;

    /// <summary>Lowest power cap the server supports, watts.</summary>
    public double MinCapWatts { get; set; } = 100;

    /// <summary>Highest power cap (the uncapped draw), watts.</summary>
    public double MaxCapWatts { get; set; } = 300;

    /// <summary>The server's BMC (linux backend, <see cref="Count"/> 1): DCMI power reading and limit, chassis power.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BmcConfig? Bmc { get; set; }

    /// <summary>The server's PDU outlet on a GPIO relay (linux backend, <see cref="Count"/> 1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutletConfig? Outlet { get; set; }

    /// <summary>The server's BMC over Redfish (instead of <see cref="Bmc"/>); null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RedfishConfig? Redfish { get; set; }

    // ---- economics and power cycling (the policy's ServerSpec; "jobs" helper) ----

    /// <summary>
    /// Protected servers are never powered off (the default: safe). An unprotected server may be switched off and on
    /// by the governor when that pays; a server the backend cannot switch is treated as protected whatever this says.
    /// </summary>
    public bool Protected { get; set; } = true;

    /// <summary>Name of the job class (<c>jobs[].name</c>) these servers run; empty: classes are assigned by <c>jobs[].share</c>.</summary>
    public string Job { get; set; } = "";

    /// <summary>Units of work per hour at full load (the unit of <c>jobs[].valuePerUnitEur</c>).</summary>
    public double ThroughputPerHour { get; set; } = 1;

    /// <summary>Seconds from power-on to serving (market time; at most 3600: a boot occupies the hour it starts in).</summary>
    public double BootSeconds { get; set; } = 180;

    /// <summary>Energy of one power cycle (shutdown and boot), Wh.</summary>
    public double BootEnergyWh { get; set; } = 20;

    /// <summary>Hours a server stays up after booting before it may be powered off (1..24).</summary>
    public int MinOnHours { get; set; } = 2;

    /// <summary>Hours a server stays off before it may boot again (1..24).</summary>
    public int MinOffHours { get; set; } = 1;

    /// <summary>Power-offs allowed per day (0..24; 0 never powers the server off).</summary>
    public int MaxCyclesPerDay { get; set; } = 2;
}

/// <summary>A server's BMC, reached over IPMI 2.0 / RMCP+ (cipher suite 3).</summary>
public sealed class BmcConfig
{
    /// <summary>IPv4 address of the BMC.</summary>
    public string Host { get; set; } = "";

    /// <summary>UDP port (623 on real BMCs).</summary>
    public int Port { get; set; } = 623;

    /// <summary>File with <c>username=</c> and <c>password=</c> lines, mode 0600 (hal's <c>IpmiCredentials</c>).</summary>
    public string CredentialsFile { get; set; } = "";

    /// <summary>How long one IPMI attempt waits for its reply, milliseconds.</summary>
    public int TimeoutMs { get; set; } = 1000;

    /// <summary>Retransmissions after the first attempt.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Period of the BMC's own loop (power reading, limit, chassis), milliseconds.</summary>
    public int PollMs { get; set; } = 1000;

    /// <summary>Whether the server's cap is applied as a DCMI power limit.</summary>
    public bool PowerLimit { get; set; } = true;

    /// <summary>DCMI correction time: how long the BMC may take to bring power under the limit, milliseconds.</summary>
    public int CorrectionTimeMs { get; set; } = 6000;

    /// <summary>DCMI statistics sampling period, seconds.</summary>
    public int SamplingPeriodSeconds { get; set; } = 1;

    /// <summary>DCMI exception action when the limit is not held in time: <c>log</c> (default), <c>none</c> or <c>hard-off</c>.</summary>
    public string ExceptionAction { get; set; } = "log";

    /// <summary>Chassis action for powering the server off: <c>soft</c> (ACPI, default) or <c>hard</c>.</summary>
    public string PowerOff { get; set; } = "soft";

    /// <summary>Shortest time between two chassis power changes (without an outlet), seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most chassis power changes in any sliding hour (without an outlet).</summary>
    public int MaxTogglesPerHour { get; set; } = 4;
}

/// <summary>A PDU outlet switched by a relay on a GPIO line.</summary>
public sealed class OutletConfig
{
    /// <summary>GPIO character device, e.g. <c>/dev/gpiochip0</c>.</summary>
    public string Chip { get; set; } = "";

    /// <summary>Line offset on the chip.</summary>
    public int Line { get; set; } = -1;

    /// <summary>True when a low level closes the relay (powers the outlet).</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Shortest time between two changes of the outlet, seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most changes in any sliding hour.</summary>
    public int MaxTogglesPerHour { get; set; } = 4;

    /// <summary>The outlet on a Redfish PDU (instead of <see cref="Chip"/> and <see cref="Line"/>); null for a GPIO relay.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RedfishOutletConfig? Redfish { get; set; }
}

/// <summary>A job class.</summary>
public sealed class JobConfig
{
    /// <summary>Name, unique.</summary>
    public string Name { get; set; } = "";

    /// <summary>Value of one unit of work in EUR.</summary>
    public double ValuePerUnitEur { get; set; } = 0.01;

    /// <summary>0 (I/O-bound, power barely matters) .. 1 (CPU-bound, throughput follows power).</summary>
    public double CpuSensitivity { get; set; } = 0.5;

    /// <summary>Share of the rack's servers running this class when <c>rack.servers[].job</c> is not given (0..1; all shares sum to 1).</summary>
    public double Share { get; set; } = 1;

    // ---- deferrable work (the policy's JobClass; "jobs" helper) ----

    /// <summary>
    /// Deferrable: each server of the class gets one job a day (<see cref="WorkHoursPerDay"/> hours of full-load work,
    /// released at <see cref="ReleaseHourOfDay"/>, due <see cref="DeadlineHours"/> later) that the governor runs in the
    /// cheapest hours before its deadline. Otherwise the work is interactive: it comes when it comes.
    /// </summary>
    public bool Deferrable { get; set; }

    /// <summary>Deferrable: hours from release to deadline (a whole number, 1..24).</summary>
    public double DeadlineHours { get; set; } = 24;

    /// <summary>Deferrable: hours of full-load work per server per day (a whole number, 1..deadlineHours).</summary>
    public int WorkHoursPerDay { get; set; } = 8;

    /// <summary>Deferrable: hour of day (market time, 0..23) at which the day's job arrives.</summary>
    public int ReleaseHourOfDay { get; set; }

    /// <summary>Deferrable: penalty per unit of work missing at the deadline (EUR), which makes deadlines hard for the governor.</summary>
    public double MissPenaltyEurPerUnit { get; set; } = 1;
}

/// <summary>The price feed the coordinator runs.</summary>
public sealed class PriceFeedConfig
{
    /// <summary><c>synthetic</c> (default), <c>csv</c> or <c>http</c>.</summary>
    public string Kind { get; set; } = "synthetic";

    /// <summary>CSV file in the <c>Datetime,Price (EUR/MWh)</c> format (kind csv).</summary>
    public string CsvPath { get; set; } = "";

    /// <summary>Simulated seconds per wall second (csv and synthetic replay); 1 is real time.</summary>
    public double Acceleration { get; set; } = 1;

    /// <summary>Start of the replay (ISO 8601, local market time), empty for the file's first row / today.</summary>
    public string ReplayStart { get; set; } = "";

    /// <summary>Wall time (Unix ms) at which market time reads <see cref="ReplayStart"/>; 0: the process start. Nodes of one accelerated replay share it.</summary>
    public long ReplayEpochUnixMs { get; set; }

    /// <summary>URL polled by kind http.</summary>
    public string Url { get; set; } = "";

    /// <summary>Name of the numeric price field in the HTTP JSON object.</summary>
    public string PriceField { get; set; } = "price";

    /// <summary>Optional name of the interval-start field (ISO 8601) in the HTTP JSON object.</summary>
    public string StartField { get; set; } = "";

    /// <summary>Unit of the feed's numbers: <c>EUR/MWh</c> or <c>ct/kWh</c>.</summary>
    public string Unit { get; set; } = "EUR/MWh";

    /// <summary>Seconds between feed polls.</summary>
    public double PollSeconds { get; set; } = 60;

    /// <summary>Length of one price interval in seconds (3600 for hourly day-ahead prices).</summary>
    public double IntervalSeconds { get; set; } = 3600;

    /// <summary>Seed of the synthetic profile's noise.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>
    /// Day-ahead publication (csv and synthetic, which know the future): the coordinator publishes every interval that
    /// starts within this many hours from now (0..48), as a day-ahead market announces tomorrow's prices in advance;
    /// each record is applied when its interval starts, and the governor plans with the ones it holds. 1: the interval
    /// in force and the next one. http publishes what it polls.
    /// </summary>
    public double PublishAheadHours { get; set; } = 1;
}

/// <summary>Thresholds.</summary>
public sealed class ThresholdConfig
{
    /// <summary>PARMCEA lower utilization threshold (0..1).</summary>
    public double UtilizationLow { get; set; } = 0.2;

    /// <summary>PARMCEA upper utilization threshold (0..1).</summary>
    public double UtilizationHigh { get; set; } = 0.7;

    /// <summary>Lowest accepted price, ct/kWh (EPEX day-ahead floor -500 EUR/MWh).</summary>
    public double MinPriceCtPerKwh { get; set; } = -50;

    /// <summary>Highest accepted price, ct/kWh (EPEX day-ahead cap 4000 EUR/MWh).</summary>
    public double MaxPriceCtPerKwh { get; set; } = 400;

    /// <summary>Coordinator alternates named in heartbeats.</summary>
    public int Alternates { get; set; } = 2;
}

/// <summary>Timers in milliseconds.</summary>
public sealed class TimerConfig
{
    /// <summary>Heartbeat period of ordinary members.</summary>
    public int HeartbeatMs { get; set; } = 200;

    /// <summary>Heartbeat period of the coordinator (failover depends on it).</summary>
    public int CoordinatorHeartbeatMs { get; set; } = 100;

    /// <summary>Silence after which the coordinator is considered failed.</summary>
    public int ElectionTimeoutMs { get; set; } = 600;

    /// <summary>Period of the control loop (price -> policy -> hardware).</summary>
    public int ControlPeriodMs { get; set; } = 1000;

    /// <summary>How long a price record stays valid past its interval end before it is stale.</summary>
    public int PriceGraceMs { get; set; } = 0;

    /// <summary>systemd watchdog ping period; 0 derives it from $WATCHDOG_USEC.</summary>
    public int WatchdogMs { get; set; } = 0;
}

/// <summary>The policy that holds with a stale or missing price.</summary>
public sealed class SafePolicyConfig
{
    /// <summary><c>fixed-cap</c>: every server at <see cref="CapFraction"/>; <c>fallback-price</c>: the policy runs with <see cref="FallbackPriceCtPerKwh"/>.</summary>
    public string Mode { get; set; } = "fixed-cap";

    /// <summary>Share (0..1] of each server's cap range used by fixed-cap.</summary>
    public double CapFraction { get; set; } = 0.6;

    /// <summary>Price assumed by fallback-price, ct/kWh.</summary>
    public double FallbackPriceCtPerKwh { get; set; } = 30;
}

/// <summary>HTTP endpoint and logging.</summary>
public sealed class ObservabilityConfig
{
    /// <summary>Address the /metrics and /status server binds to (loopback by default).</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the HTTP server; 0 picks a free port, -1 disables it.</summary>
    public int HttpPort { get; set; } = 9464;

    /// <summary>Lowest logged level: debug, info, notice, warning, error.</summary>
    public string LogLevel { get; set; } = "info";
}
