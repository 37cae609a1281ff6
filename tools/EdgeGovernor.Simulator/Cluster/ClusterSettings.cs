using System.Text.Json;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// The <c>cluster</c> section of a scenario file (issue 3). Every field is optional:
/// <code>
/// "cluster": {
///   "roster": "all",                       // node set of voters; the others join as observers
///   "alternates": 2, "use_alternates": true, "use_ranking": true,
///   "coordinator_heartbeat_us": 100000, "leader_timeout_us": 300000,
///   "price_period_seconds": 60,            // the coordinator publishes one price per period (0: none)
///   "kill_coordinator": { "count": 100, "start_seconds": 20, "min_gap_seconds": 20, "max_gap_seconds": 40,
///                         "restart_after_seconds": 5, "with_alternates": false },
///   "flap": { "node": -1, "start_seconds": 10, "period_seconds": 3, "down_seconds": 1, "count": 20 },
///                                          // node -1: the last voter that is not the coordinator at the first flap
///   "check_period_seconds": 1              // how often the price checks sample every live node
/// }
/// </code>
/// Utilizations and capacities are drawn per node from the run's seed (uniform 0-100 %, 100-1000).
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Voters (node indices); null = all.</summary>
    public int[]? Roster { get; private init; }

    /// <summary>Election options for every node.</summary>
    public ElectionOptions Election { get; private init; } = new();

    /// <summary>Seconds between price records (0 = no prices).</summary>
    public double PricePeriodSeconds { get; private init; } = 60;

    /// <summary>Coordinator kills (null: none).</summary>
    public KillSettings? Kill { get; private init; }

    /// <summary>A flapping node (null: none).</summary>
    public FlapSettings? Flap { get; private init; }

    /// <summary>Sampling period of the price checks.</summary>
    public double CheckPeriodSeconds { get; private init; } = 1;

    /// <summary>Repeated coordinator crashes.</summary>
    public sealed record KillSettings(int Count, double StartSeconds, double MinGapSeconds, double MaxGapSeconds, double RestartAfterSeconds, bool WithAlternates);

    /// <summary>A node that crashes and restarts again and again.</summary>
    public sealed record FlapSettings(int Node, double StartSeconds, double PeriodSeconds, double DownSeconds, int Count);

    /// <summary>Reads and validates the section of <paramref name="scenario"/>; null when it has none.</summary>
    /// <exception cref="ScenarioException">A field is invalid (named in the message).</exception>
    public static ClusterSettings? From(Scenario scenario)
    {
        if (scenario.Source.Cluster is not JsonElement e || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string file = scenario.File;
        int nodes = scenario.Config.NodeCount;
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(file, "cluster", "must be an object");
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Name is not ("roster" or "alternates" or "use_alternates" or "use_ranking" or "coordinator_heartbeat_us"
                or "leader_timeout_us" or "price_period_seconds" or "kill_coordinator" or "flap" or "check_period_seconds"))
            {
                throw new ScenarioException(file, "cluster." + p.Name, "unknown field");
            }
        }

        int[]? roster = null;
        if (e.TryGetProperty("roster", out JsonElement r))
        {
            roster = ScenarioLoader.ParseNodeSet(r.GetString() ?? "", nodes, out string? error)
                ?? throw new ScenarioException(file, "cluster.roster", error ?? "bad node set");
            if (roster.Length == 0)
            {
                throw new ScenarioException(file, "cluster.roster", "must name at least one node");
            }
        }

        var election = new ElectionOptions
        {
            Alternates = Int(e, "alternates", 2, 0, 8, file),
            UseAlternates = Bool(e, "use_alternates", true, file),
            UseRanking = Bool(e, "use_ranking", true, file),
        };
        long hb = (long)Number(e, "coordinator_heartbeat_us", election.CoordinatorHeartbeatPeriodUs, 1_000, 10_000_000, file);
        long timeout = (long)Number(e, "leader_timeout_us", election.LeaderTimeoutUs, 2_000, 60_000_000, file);
        election = election with
        {
            CoordinatorHeartbeatPeriodUs = hb,
            LeaderTimeoutUs = timeout,
            LeaseUs = Math.Min(election.LeaseUs * timeout / election.LeaderTimeoutUs, timeout),
        };
        try
        {
            election.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ScenarioException(file, "cluster", ex.Message);
        }

        KillSettings? kill = null;
        if (e.TryGetProperty("kill_coordinator", out JsonElement k))
        {
            kill = new KillSettings(
                Int(k, "count", 1, 1, 100_000, file),
                Number(k, "start_seconds", 10, 0, 1e7, file),
                Number(k, "min_gap_seconds", 10, 0.01, 1e7, file),
                Number(k, "max_gap_seconds", 30, 0.01, 1e7, file),
                Number(k, "restart_after_seconds", 5, 0, 1e7, file),
                Bool(k, "with_alternates", false, file));
            if (kill.MaxGapSeconds < kill.MinGapSeconds)
            {
                throw new ScenarioException(file, "cluster.kill_coordinator", "max_gap_seconds is below min_gap_seconds");
            }
        }

        FlapSettings? flap = null;
        if (e.TryGetProperty("flap", out JsonElement f))
        {
            flap = new FlapSettings(
                Int(f, "node", -1, -1, nodes - 1, file),
                Number(f, "start_seconds", 10, 0, 1e7, file),
                Number(f, "period_seconds", 3, 0.01, 1e7, file),
                Number(f, "down_seconds", 1, 0.001, 1e7, file),
                Int(f, "count", 10, 1, 1_000_000, file));
            if (flap.DownSeconds >= flap.PeriodSeconds)
            {
                throw new ScenarioException(file, "cluster.flap", "down_seconds must be below period_seconds");
            }
        }

        return new ClusterSettings
        {
            Roster = roster,
            Election = election,
            PricePeriodSeconds = Number(e, "price_period_seconds", 60, 0, 1e6, file),
            Kill = kill,
            Flap = flap,
            CheckPeriodSeconds = Number(e, "check_period_seconds", 1, 0.01, 1e6, file),
        };
    }

    private static double Number(JsonElement e, string name, double fallback, double min, double max, string file)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            return fallback;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d) || d < min || d > max)
        {
            throw new ScenarioException(file, "cluster." + name, $"must be a number in [{min}, {max}]");
        }

        return d;
    }

    private static int Int(JsonElement e, string name, int fallback, int min, int max, string file)
    {
        double d = Number(e, name, fallback, min, max, file);
        if (d != Math.Floor(d))
        {
            throw new ScenarioException(file, "cluster." + name, "must be an integer");
        }

        return (int)d;
    }

    private static bool Bool(JsonElement e, string name, bool fallback, string file)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            return fallback;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ScenarioException(file, "cluster." + name, "must be true or false"),
        };
    }
}
