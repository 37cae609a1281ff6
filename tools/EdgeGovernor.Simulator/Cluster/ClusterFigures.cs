using System.Globalization;
using System.Text.Json;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// The figures of one cluster run, counted by <see cref="ClusterRun"/> as the run goes (leader changes, kills, failover
/// and price apply times, price samples, breaches by kind) and written into the <c>--json</c> object and the summary.
/// </summary>
internal sealed class ClusterFigures
{
    /// <summary>Failover times (ms).</summary>
    public List<double> FailoverMs { get; } = [];

    /// <summary>Price apply latencies (ms): from the coordinator's publish to a node holding the price.</summary>
    public List<double> ApplyMs { get; } = [];

    /// <summary>Breaches by kind.</summary>
    public Dictionary<string, long> ViolationsByKind { get; } = new(StringComparer.Ordinal);

    /// <summary>When the first coordinator was elected (simulated µs), or -1.</summary>
    public long FirstCoordinatorUs { get; set; } = -1;

    public long LeaderChanges { get; set; }

    public long Kills { get; set; }

    public long PricesPublished { get; set; }

    /// <summary>Node samples of the price in force (every check period, every live node).</summary>
    public long PriceSamples { get; set; }

    public long StaleSamples { get; set; }

    public long NoPriceSamples { get; set; }

    /// <summary>Samples of a node that is coordinator; those where it cannot reach a quorum of voters.</summary>
    public long CoordinatorSamples { get; set; }

    public long MinorityCoordinatorSamples { get; set; }

    /// <summary>Writes the figures into the run's <c>--json</c> object (the <c>cluster</c> checker's fields).</summary>
    public void WriteJson(Utf8JsonWriter json, ClusterRun run)
    {
        json.WriteNumber("elections", run.Elections);
        json.WriteNumber("terms", run.Terms);
        json.WriteNumber("leader_changes", LeaderChanges);
        json.WriteNumber("coordinator_kills", Kills);
        json.WriteNumber("first_coordinator_ms", FirstCoordinatorUs < 0 ? -1 : FirstCoordinatorUs / 1e3);
        json.WriteStartObject("failover_ms");
        json.WriteNumber("count", FailoverMs.Count);
        json.WriteNumber("p50", Percentile(FailoverMs, 0.50));
        json.WriteNumber("p99", Percentile(FailoverMs, 0.99));
        json.WriteNumber("max", FailoverMs.Count == 0 ? 0 : FailoverMs.Max());
        json.WriteEndObject();
        json.WriteNumber("coordinator_heartbeat_ms", run.Options.Election.CoordinatorHeartbeatPeriodUs / 1e3);
        json.WriteNumber("coordinator_heartbeat_timeout_ms", run.Options.Election.LeaderTimeoutUs / 1e3);
        json.WriteNumber("false_suspicions", run.FalseSuspicions);
        json.WriteNumber("suspicions", run.Suspicions);
        json.WriteNumber("probes_sent", run.ProbesSent);
        json.WriteNumber("time_without_coordinator_ms", run.TimeWithoutCoordinatorUs / 1e3);
        json.WriteNumber("prices_published", PricesPublished);
        json.WriteStartObject("price_apply_latency_ms");
        json.WriteNumber("count", ApplyMs.Count);
        json.WriteNumber("p50", Percentile(ApplyMs, 0.50));
        json.WriteNumber("p99", Percentile(ApplyMs, 0.99));
        json.WriteEndObject();
        json.WriteNumber("price_samples", PriceSamples);
        json.WriteNumber("stale_samples", StaleSamples);
        json.WriteNumber("no_price_samples", NoPriceSamples);
        json.WriteNumber("coordinator_samples", CoordinatorSamples);
        json.WriteNumber("minority_coordinator_samples", MinorityCoordinatorSamples);
        json.WriteStartObject("cluster_violations");
        foreach ((string kind, long count) in ViolationsByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(kind, count);
        }

        json.WriteEndObject();
    }

    /// <summary>Writes the figures as the three summary lines of the text output.</summary>
    public void WriteSummary(TextWriter output, ClusterRun run)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cluster: elections {run.Elections}, terms {run.Terms}, leader changes {LeaderChanges}, kills {Kills}, first coordinator {(FirstCoordinatorUs < 0 ? "never" : $"{FirstCoordinatorUs / 1e3:F1} ms")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  failover ms p50 {Percentile(FailoverMs, 0.5):F1} p99 {Percentile(FailoverMs, 0.99):F1} max {(FailoverMs.Count == 0 ? 0 : FailoverMs.Max()):F1} (n={FailoverMs.Count}); without coordinator {run.TimeWithoutCoordinatorUs / 1e3:F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  false suspicions {run.FalseSuspicions}; prices {PricesPublished}, apply latency ms p50 {Percentile(ApplyMs, 0.5):F1} p99 {Percentile(ApplyMs, 0.99):F1}; stale samples {StaleSamples}, no price yet {NoPriceSamples}, of {PriceSamples}"));
    }

    /// <summary>The p-quantile (nearest rank) of <paramref name="values"/>; 0 when empty.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
