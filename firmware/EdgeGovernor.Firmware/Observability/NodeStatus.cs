using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>The body of <c>/status</c>: one node's view of the cluster, its price and its rack.</summary>
public sealed class NodeStatus
{
    /// <summary>This node's id.</summary>
    public uint NodeId { get; set; }

    /// <summary>This run's incarnation.</summary>
    public ulong Incarnation { get; set; }

    /// <summary><c>coordinator</c>, <c>member</c>, <c>observer</c> or <c>starting</c>.</summary>
    public string Role { get; set; } = "starting";

    /// <summary>Current term as this node knows it.</summary>
    public ulong Term { get; set; }

    /// <summary>The coordinator this node follows (0: none known).</summary>
    public uint Coordinator { get; set; }

    /// <summary>Seconds since start.</summary>
    public double UptimeSeconds { get; set; }

    /// <summary>Market time on this node's market clock (ISO 8601).</summary>
    public string MarketTime { get; set; } = "";

    /// <summary>Members this node knows of.</summary>
    public MemberStatus[] Members { get; set; } = [];

    /// <summary>The price in force.</summary>
    public PriceView Price { get; set; } = new();

    /// <summary>The rack.</summary>
    public RackStatus Rack { get; set; } = new();

    /// <summary>Cumulative energy, cost and emissions.</summary>
    public AccountingStatus Accounting { get; set; } = new();

    /// <summary>Protocol, transport and feed counters by name.</summary>
    public Dictionary<string, long> Counters { get; set; } = [];
}

/// <summary>A member of the cluster as one node sees it.</summary>
public sealed class MemberStatus
{
    /// <summary>Node id.</summary>
    public uint NodeId { get; set; }

    /// <summary>Alive in this node's membership view.</summary>
    public bool Alive { get; set; }

    /// <summary>Voter (in the roster) or observer.</summary>
    public bool Voter { get; set; }

    /// <summary>Unicast endpoint, when known.</summary>
    public string Endpoint { get; set; } = "";
}

/// <summary>The price in force.</summary>
public sealed class PriceView
{
    /// <summary>True when a valid price is in force; false means the safe policy holds.</summary>
    public bool Valid { get; set; }

    /// <summary>Price, ct/kWh (NaN is never written: 0 when not valid).</summary>
    public double CtPerKwh { get; set; }

    /// <summary>Interval start (market time).</summary>
    public string IntervalStart { get; set; } = "";

    /// <summary>Interval end (market time).</summary>
    public string IntervalEnd { get; set; } = "";

    /// <summary>Term of the record.</summary>
    public ulong Term { get; set; }

    /// <summary>Index of the record in the price log.</summary>
    public ulong Index { get; set; }

    /// <summary>Price records applied by this node.</summary>
    public long Applied { get; set; }

    /// <summary>Why the safe policy is in force, when it is.</summary>
    public string SafeReason { get; set; } = "";

    /// <summary>Hours ahead (after the current one) for which this node holds a published price: the governor's day-ahead.</summary>
    public int UpcomingHours { get; set; }
}

/// <summary>The rack's state.</summary>
public sealed class RackStatus
{
    /// <summary>Total draw, watts.</summary>
    public double PowerWatts { get; set; }

    /// <summary>Sum of the servers' caps, watts.</summary>
    public double CapWatts { get; set; }

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts { get; set; }

    /// <summary>Hottest server, degrees Celsius.</summary>
    public double MaxTemperatureC { get; set; }

    /// <summary>Servers powered on.</summary>
    public int ServersOn { get; set; }

    /// <summary>Servers in the rack.</summary>
    public int Servers { get; set; }

    /// <summary>Envelope interventions (budget, thermal, fans) so far.</summary>
    public long EnvelopeActions { get; set; }
}

/// <summary>Cumulative accounting since start.</summary>
public sealed class AccountingStatus
{
    /// <summary>Energy, kWh.</summary>
    public double Kwh { get; set; }

    /// <summary>Energy cost, EUR.</summary>
    public double Eur { get; set; }

    /// <summary>Emissions, kg CO2.</summary>
    public double KgCo2 { get; set; }

    /// <summary>Value of the work done, EUR.</summary>
    public double WorkValueEur { get; set; }

    /// <summary>Server-hours spent switched off by the governor.</summary>
    public double OffServerHours { get; set; }

    /// <summary>Power-offs and power-ons executed.</summary>
    public long PowerCycles { get; set; }

    /// <summary>Units of deferrable work done against queued jobs.</summary>
    public double DeferredUnitsDone { get; set; }

    /// <summary>Units of deferrable work released.</summary>
    public double DeferredUnitsReleased { get; set; }

    /// <summary>Deferrable jobs finished by their deadline.</summary>
    public long DeadlinesMet { get; set; }

    /// <summary>Deferrable jobs with work left at their deadline.</summary>
    public long DeadlinesMissed { get; set; }

    /// <summary>Highest price applied (ct/kWh; 0 before the first).</summary>
    public double PeakPriceCt { get; set; }

    /// <summary>Mean cap of the running interactive servers at the highest price (W).</summary>
    public double InteractiveCapAtPeakWatts { get; set; }

    /// <summary>Lowest price applied (ct/kWh; 0 before the first).</summary>
    public double CheapestPriceCt { get; set; }

    /// <summary>Mean cap of the running interactive servers at the lowest price (W).</summary>
    public double InteractiveCapAtCheapestWatts { get; set; }
}

/// <summary>Source-generated JSON metadata for <see cref="NodeStatus"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(NodeStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
