namespace EdgeGovernor.Firmware.Observability;

/// <summary>The body of <c>/status</c>: one node's view of the cluster, its price and its rack.</summary>
internal sealed class NodeStatus
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

    /// <summary>The market interval the rack plans at and the last closed interval's figures.</summary>
    public MarketIntervalStatus Market { get; set; } = new();

    /// <summary>The price in force.</summary>
    public PriceView Price { get; set; } = new();

    /// <summary>The rack.</summary>
    public RackStatus Rack { get; set; } = new();

    /// <summary>Cumulative energy, cost and emissions.</summary>
    public AccountingStatus Accounting { get; set; } = new();

    /// <summary>The board's load contracts.</summary>
    public ContractStatus[] Contracts { get; set; } = [];

    /// <summary>The contract journal's health (null without contracts).</summary>
    public ContractJournalStatus? ContractJournal { get; set; }

    /// <summary>Protocol, transport and feed counters by name.</summary>
    public Dictionary<string, long> Counters { get; set; } = [];
}
