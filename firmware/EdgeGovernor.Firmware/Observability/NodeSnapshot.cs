using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// The numbers <c>/metrics</c> and <c>/status</c> show, copied from the agent loop after every control step (plain
/// fields, allocation-free) and read by the HTTP thread; both sides hold <see cref="SyncRoot"/>. The identity part
/// (node id, roster, endpoint, rack size, market clock, feed counters) is fixed at construction.
/// <see cref="NodeMetrics"/> and <see cref="NodeStatusBuilder"/> format it.
/// </summary>
internal sealed class NodeSnapshot
{
    /// <summary>Every drop reason, in <see cref="Drops"/> order.</summary>
    public static readonly DropReason[] DropReasons = Enum.GetValues<DropReason>();

    /// <summary>Creates an empty snapshot of a node.</summary>
    /// <param name="nodeId">This node.</param>
    /// <param name="incarnation">This run's incarnation.</param>
    /// <param name="roster">Voters.</param>
    /// <param name="localEndPoint">This node's unicast endpoint.</param>
    /// <param name="budgetWatts">PDU budget.</param>
    /// <param name="servers">Servers in the rack.</param>
    /// <param name="safePolicyMode">The safe policy (<c>safePolicy.mode</c>).</param>
    /// <param name="market">Market clock (interval times in <c>/status</c>).</param>
    /// <param name="feed">Feed record counters (read live).</param>
    /// <param name="faults">Handler faults (read live; null: none counted).</param>
    public NodeSnapshot(uint nodeId, ulong incarnation, uint[] roster, string localEndPoint, double budgetWatts, int servers,
        string safePolicyMode, MarketClock market, PriceValidator feed, HandlerFaults? faults = null)
    {
        Faults = faults;
        NodeId = nodeId;
        Incarnation = incarnation;
        Roster = roster;
        LocalEndPoint = localEndPoint;
        BudgetWatts = budgetWatts;
        Servers = servers;
        SafePolicyMode = safePolicyMode;
        Market = market;
        Feed = feed;
    }

    /// <summary>Held by the writer and every reader.</summary>
    public object SyncRoot { get; } = new();

    /// <summary>The board's load contracts (thread-safe counters; empty without contracts).</summary>
    public IReadOnlyList<Hosting.ContractAgreement> Contracts { get; set; } = [];

    /// <summary>The contract journal's health (thread-safe; null without contracts).</summary>
    public Hosting.ContractJournalHealth? ContractJournal { get; set; }

    /// <summary>This node.</summary>
    public uint NodeId { get; }

    /// <summary>This run's incarnation.</summary>
    public ulong Incarnation { get; }

    /// <summary>Voters.</summary>
    public uint[] Roster { get; }

    /// <summary>This node's unicast endpoint.</summary>
    public string LocalEndPoint { get; }

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts { get; }

    /// <summary>Servers in the rack.</summary>
    public int Servers { get; }

    /// <summary>The safe policy's mode.</summary>
    public string SafePolicyMode { get; }

    /// <summary>Market clock.</summary>
    public MarketClock Market { get; }

    /// <summary>Feed record counters (thread-safe, read live).</summary>
    public PriceValidator Feed { get; }

    /// <summary>Exceptions caught while handling one input, by boundary (thread-safe, read live; null: none counted).</summary>
    public HandlerFaults? Faults { get; }

    /// <summary>Live members (first <see cref="MemberCount"/>).</summary>
    public uint[] Members { get; } = new uint[256];

    /// <summary>Whether each member is alive.</summary>
    public bool[] MemberAlive { get; } = new bool[256];

    /// <summary>Drops by <see cref="DropReasons"/>.</summary>
    public long[] Drops { get; } = new long[DropReasons.Length];

    /// <summary>Members in <see cref="Members"/>.</summary>
    public int MemberCount;

    /// <summary>Role.</summary>
    public bool Coordinator, Voter;

    /// <summary>Current term.</summary>
    public ulong Term;

    /// <summary>Coordinator followed (0: none).</summary>
    public uint Leader;

    /// <summary>Seconds since start.</summary>
    public double UptimeSeconds;

    /// <summary>Market time, ticks.</summary>
    public long MarketTicks;

    /// <summary>Minutes of one market interval (<c>market.intervalMinutes</c>; 0 before the first capture).</summary>
    public int IntervalMinutes;

    /// <summary>The absolute market interval of the rack's last step (market ticks / interval ticks; <see cref="long.MinValue"/> before the first).</summary>
    public long Interval = long.MinValue;

    /// <summary>Market interval boundaries decided; market intervals closed in the energy ledger.</summary>
    public long IntervalsDecided, IntervalsClosed;

    /// <summary>Energy (kWh), cost (EUR) and emissions (kg CO2) of the market interval closed last.</summary>
    public double LastIntervalKwh, LastIntervalEur, LastIntervalKgCo2;

    /// <summary>Start of the current market interval in market ticks (-1: no step yet, or an interval count outside what a <see cref="DateTime"/> holds).</summary>
    public long IntervalStartTicks
    {
        get
        {
            long ticks = (long)IntervalMinutes * TimeSpan.TicksPerMinute;
            return Interval < 0 || ticks <= 0 || Interval > DateTime.MaxValue.Ticks / ticks ? -1 : Interval * ticks;
        }
    }

    /// <summary>True when a price is in force.</summary>
    public bool PriceFresh;

    /// <summary>The record in force, or the one that expired last.</summary>
    public PriceRecord Record;

    /// <summary>Prices applied, records published as coordinator.</summary>
    public long Applied, Published;

    /// <summary>Price log indexes.</summary>
    public ulong LogLast, LogCommit;

    /// <summary>The rack's last reading.</summary>
    public RackReading Rack;

    /// <summary>Protocol and transport counters.</summary>
    public long DatagramsSent, DatagramsReceived, BytesSent, BytesReceived, Accepted, Heartbeats;

    /// <summary>Protocol counters.</summary>
    public long Nacks, Repairs, Retransmits, Delivered, Retained, DroppedTotal;

    /// <summary>Transport, binding, election and membership counters.</summary>
    public long TxErrors, QueueDrops, Unroutable, LeaderChanges, Suspicions, Failures, ClusterMalformed;

    /// <summary>The cluster layer's term and period guards (terms refused as too large a step, candidacies refused at the term ceiling, announced periods clamped).</summary>
    public long TermJumpsRefused, StandsRefusedAtTermCeiling, AnnouncedPeriodsClamped;

    /// <summary>Datagrams dropped as larger than a receive slot; price records ignored as implausible; feed polls abandoned at their deadline.</summary>
    public long Oversized, PricesIgnored, FeedPollsAbandoned;

    /// <summary>Microseconds from start to the first heartbeat (-1: none yet).</summary>
    public long FirstHeartbeatUs;

    /// <summary>Hours ahead with a published price.</summary>
    public int UpcomingHours;

    /// <summary>Seconds since the last price expired.</summary>
    public double StalenessSeconds;

    /// <summary>Carbon intensity in force, kg CO2 per kWh (the fixed default without a series).</summary>
    public double CarbonKgPerKwh = Control.EnergyLedger.KgCo2PerKwh;

    /// <summary><c>coordinator</c>, <c>member</c> or <c>observer</c>.</summary>
    public string Role => Coordinator ? "coordinator" : Voter ? "member" : "observer";
}
