using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A group of identical servers.</summary>
internal sealed class ServerConfig
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
