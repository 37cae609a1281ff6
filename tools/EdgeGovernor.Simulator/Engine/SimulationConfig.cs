using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// One run, fully specified: with the same config (seed included) a run is the same, event for
/// event. All times are microseconds of simulated time since the start of the run.
/// </summary>
public sealed record SimulationConfig
{
    /// <summary>Number of node slots.</summary>
    public required int NodeCount { get; init; }

    /// <summary>The run's seed: every random stream derives from it.</summary>
    public required ulong Seed { get; init; }

    /// <summary>How long the run lasts (simulated).</summary>
    public required long DurationUs { get; init; }

    /// <summary>The network.</summary>
    public NetworkSettings Network { get; init; } = new();

    /// <summary>The application traffic.</summary>
    public TrafficSettings Traffic { get; init; } = new();

    /// <summary>Crashes, restarts and partitions, in any order.</summary>
    public IReadOnlyList<FaultAction> Faults { get; init; } = [];

    /// <summary>How often the retention of every node is sampled.</summary>
    public long SamplePeriodUs { get; init; } = 100_000;

    /// <summary>
    /// A node that restarts must deliver every message published from this long after its
    /// restart on (it joins a stream at the sender's current sequence number, not at its start).
    /// </summary>
    public long JoinGraceUs { get; init; } = 2_000_000;

    /// <summary>Checks the config; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        static void Fail(string field, string reason) => throw new ArgumentException($"{field}: {reason}");
        if (NodeCount is < 1 or > 100_000)
        {
            Fail("nodes", $"must be between 1 and 100000 (was {NodeCount})");
        }

        if (DurationUs <= 0)
        {
            Fail("duration", "must be positive");
        }

        if (SamplePeriodUs <= 0)
        {
            Fail("sample_period", "must be positive");
        }

        if (JoinGraceUs < 0)
        {
            Fail("join_grace", "must not be negative");
        }

        if (Network.Default.Validate() is { } link)
        {
            Fail("network", link);
        }

        for (int i = 0; i < Network.Links.Count; i++)
        {
            LinkOverride o = Network.Links[i];
            if (o.Profile.Validate() is { } bad)
            {
                Fail($"network.links[{i}]", bad);
            }

            CheckNodes(o.From, $"network.links[{i}].from");
            CheckNodes(o.To, $"network.links[{i}].to");
        }

        if (Network.Links.Count > NetworkModel.MaxLinkOverrides)
        {
            Fail("network.links", $"at most {NetworkModel.MaxLinkOverrides} entries");
        }

        if ((LinkProfile.Probability(Network.SenderDataLoss, "sender_data_loss") ?? LinkProfile.Probability(Network.SenderControlLoss, "sender_control_loss")) is { } s)
        {
            Fail("network", s);
        }

        CheckNodes(Traffic.Publishers, "traffic.publishers");
        if (Traffic.Publishers.Count > 0)
        {
            if (Traffic.RatePerSecond is <= 0 or > 1_000_000 || double.IsNaN(Traffic.RatePerSecond))
            {
                Fail("traffic.rate_per_second", "must be in (0, 1000000]");
            }

            if (Traffic.PayloadBytes is < Workload.PayloadFormat.MinBytes or > 1200)
            {
                Fail("traffic.payload_bytes", $"must be between {Workload.PayloadFormat.MinBytes} and 1200 (was {Traffic.PayloadBytes})");
            }

            if (Traffic.StartUs < 0 || Traffic.StopUs < Traffic.StartUs || Traffic.StopUs > DurationUs)
            {
                Fail("traffic", "need 0 <= start <= stop <= duration");
            }
        }

        for (int i = 0; i < Faults.Count; i++)
        {
            FaultAction f = Faults[i];
            string field = $"faults[{i}]";
            if (f.AtUs < 0 || f.AtUs > DurationUs)
            {
                Fail(field + ".at", "must be within the run");
            }

            CheckNodes(f.Nodes, field + ".nodes");
            CheckNodes(f.To, field + ".to");
            foreach (IReadOnlyList<int> g in f.Groups)
            {
                CheckNodes(g, field + ".groups");
            }

            switch (f.Kind)
            {
                case FaultKind.Crash or FaultKind.Restart when f.Nodes.Count == 0:
                    Fail(field + ".nodes", "names no node");
                    break;
                case FaultKind.Partition when f.Groups.Count == 0:
                    Fail(field + ".groups", "a partition needs at least one group");
                    break;
                case FaultKind.OneWay when f.Nodes.Count == 0 || f.To.Count == 0:
                    Fail(field, "a one-way block needs 'nodes' (senders) and 'to' (receivers)");
                    break;
            }
        }

        void CheckNodes(IReadOnlyList<int> nodes, string field)
        {
            foreach (int n in nodes)
            {
                if ((uint)n >= (uint)NodeCount)
                {
                    Fail(field, $"node {n} is not in [0, {NodeCount})");
                }
            }
        }
    }
}
