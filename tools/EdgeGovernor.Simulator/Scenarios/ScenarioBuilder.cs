using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>
/// Turns a parsed <see cref="ScenarioFile"/> into a validated <see cref="Scenario"/> (the engine's
/// <see cref="SimulationConfig"/>): every field is checked here, and a bad one throws a
/// <see cref="ScenarioException"/> naming the file, the field and the reason.
/// </summary>
internal sealed class ScenarioBuilder(string file, ScenarioFile f)
{
    public Scenario Build(ulong? seedOverride)
    {
        int nodes = f.Nodes ?? throw Fail("nodes", "is required");
        if (nodes is < 1 or > 100_000)
        {
            throw Fail("nodes", $"must be between 1 and 100000 (was {nodes})");
        }

        long duration = Micros(f.DurationSeconds ?? throw Fail("duration_seconds", "is required"), "duration_seconds");
        if (duration <= 0)
        {
            throw Fail("duration_seconds", "must be positive");
        }

        NetworkSection net = f.Network ?? new NetworkSection();
        LinkProfile defaultLink = Link(net, LinkProfile.Perfect, "network");
        var overrides = new List<LinkOverride>();
        for (int i = 0; i < (net.Links?.Count ?? 0); i++)
        {
            LinkOverrideSection o = net.Links![i];
            string field = $"network.links[{i}]";
            overrides.Add(new LinkOverride(
                Nodes(o.From ?? throw Fail(field + ".from", "is required"), nodes, field + ".from"),
                Nodes(o.To ?? throw Fail(field + ".to", "is required"), nodes, field + ".to"),
                Link(o, defaultLink, field)));
        }

        if (overrides.Count > NetworkModel.MaxLinkOverrides)
        {
            throw Fail("network.links", $"at most {NetworkModel.MaxLinkOverrides} overrides are supported");
        }

        TrafficSection tr = f.Traffic ?? new TrafficSection { Publishers = "none" };
        long start = Micros(tr.StartSeconds ?? Math.Min(1, duration / 4e6), "traffic.start_seconds");
        long stop = Micros(tr.StopSeconds ?? Math.Max(start / 1e6, (duration / 1e6) - 5), "traffic.stop_seconds");
        if (start > duration)
        {
            throw Fail("traffic.start_seconds", "must not be after duration_seconds");
        }

        if (stop < start || stop > duration)
        {
            throw Fail("traffic.stop_seconds", "must be between start_seconds and duration_seconds");
        }

        var traffic = new TrafficSettings
        {
            Publishers = Nodes(tr.Publishers ?? "none", nodes, "traffic.publishers"),
            RatePerSecond = tr.RatePerSecond ?? 10,
            PayloadBytes = tr.PayloadBytes ?? 64,
            StartUs = start,
            StopUs = stop,
            Poisson = tr.Poisson ?? false,
        };

        var faults = new List<FaultAction>();
        for (int i = 0; i < (f.Faults?.Count ?? 0); i++)
        {
            faults.Add(Fault(f.Faults![i], nodes, $"faults[{i}]", duration));
        }

        var config = new SimulationConfig
        {
            NodeCount = nodes,
            Seed = seedOverride ?? f.Seed ?? ScenarioLoader.DefaultSeed,
            DurationUs = duration,
            JoinGraceUs = Micros(f.JoinGraceSeconds ?? 2, "join_grace_seconds"),
            SamplePeriodUs = Micros(f.SamplePeriodSeconds ?? 0.1, "sample_period_seconds"),
            Network = new NetworkSettings
            {
                Default = defaultLink,
                Links = overrides,
                SenderDataLoss = Probability(net.SenderDataLoss ?? 0, "network.sender_data_loss"),
                SenderControlLoss = Probability(net.SenderControlLoss ?? 0, "network.sender_control_loss"),
            },
            Traffic = traffic,
            Faults = faults,
        };

        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            int colon = ex.Message.IndexOf(": ", StringComparison.Ordinal);
            throw colon > 0 ? Fail(ex.Message[..colon], ex.Message[(colon + 2)..]) : Fail("(scenario)", ex.Message);
        }

        string name = f.Name ?? Path.GetFileNameWithoutExtension(file);
        return new Scenario(file, name, f.Description ?? "", config, f);
    }

    private LinkProfile Link(LinkSection s, LinkProfile inherit, string field)
    {
        LatencyDistribution latency = s.Latency is null ? inherit.Latency : Latency(s.Latency, field + ".latency");
        var link = new LinkProfile(
            latency,
            Probability(s.DataLoss ?? s.Loss ?? inherit.DataLoss, field + (s.DataLoss is null ? ".loss" : ".data_loss")),
            Probability(s.ControlLoss ?? s.Loss ?? inherit.ControlLoss, field + (s.ControlLoss is null ? ".loss" : ".control_loss")),
            Probability(s.Duplicate ?? inherit.Duplicate, field + ".duplicate"),
            Probability(s.Reorder ?? inherit.Reorder, field + ".reorder"),
            s.ReorderDelayUs ?? inherit.ReorderDelayUs);
        if (link.ReorderDelayUs is < 0 or > 60_000_000)
        {
            throw Fail(field + ".reorder_delay_us", "must be between 0 and 60000000");
        }

        if (link.Reorder > 0 && link.ReorderDelayUs == 0)
        {
            throw Fail(field + ".reorder_delay_us", "must be positive when reorder is set");
        }

        return link;
    }

    private LatencyDistribution Latency(LatencySection s, string field)
    {
        LatencyDistribution d = (s.Kind ?? throw Fail(field + ".kind", "is required (constant, uniform or lognormal)")) switch
        {
            "constant" => LatencyDistribution.Constant(s.Us ?? throw Fail(field + ".us", "is required for a constant latency")),
            "uniform" => LatencyDistribution.Uniform(
                s.MinUs ?? throw Fail(field + ".min_us", "is required for a uniform latency"),
                s.MaxUs ?? throw Fail(field + ".max_us", "is required for a uniform latency")),
            "lognormal" => LatencyDistribution.LogNormal(
                s.MedianUs ?? throw Fail(field + ".median_us", "is required for a lognormal latency"),
                s.Sigma ?? throw Fail(field + ".sigma", "is required for a lognormal latency"),
                s.MinUs ?? 0,
                s.MaxUs ?? (s.MedianUs.Value * 100)),
            string other => throw Fail(field + ".kind", $"'{other}' is not one of constant, uniform, lognormal"),
        };
        if (d.Validate() is { } why)
        {
            throw Fail(field, why);
        }

        if (Math.Max(d.A, d.B) > 60_000_000)
        {
            throw Fail(field, "latencies above 60 s are not supported");
        }

        return d;
    }

    private FaultAction Fault(FaultSection s, int nodes, string field, long duration)
    {
        long at = Micros(s.AtSeconds ?? throw Fail(field + ".at_seconds", "is required"), field + ".at_seconds");
        if (at < 0 || at > duration)
        {
            throw Fail(field + ".at_seconds", "must be within the run (0 to duration_seconds)");
        }

        string kind = s.Kind ?? throw Fail(field + ".kind", "is required (crash, restart, partition, one_way, heal)");
        int[] Need(string? set, string name) =>
            Nodes(set ?? throw Fail($"{field}.{name}", $"is required for '{kind}'"), nodes, $"{field}.{name}");
        return kind switch
        {
            "crash" => new FaultAction(at, FaultKind.Crash, Need(s.Nodes, "nodes"), [], []),
            "restart" => new FaultAction(at, FaultKind.Restart, Need(s.Nodes, "nodes"), [], []),
            "partition" => new FaultAction(at, FaultKind.Partition, [], Groups(s.Groups, nodes, field + ".groups"), []),
            "one_way" => new FaultAction(at, FaultKind.OneWay, Need(s.Nodes, "nodes"), [], Need(s.To, "to")),
            "heal" => FaultAction.Heal(at),
            _ => throw Fail(field + ".kind", $"'{kind}' is not one of crash, restart, partition, one_way, heal"),
        };
    }

    private int[][] Groups(List<string>? groups, int nodes, string field)
    {
        if (groups is null || groups.Count == 0)
        {
            throw Fail(field, "a partition needs at least one group");
        }

        var seen = new HashSet<int>();
        var result = new int[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            result[g] = Nodes(groups[g], nodes, $"{field}[{g}]");
            foreach (int n in result[g])
            {
                if (!seen.Add(n))
                {
                    throw Fail($"{field}[{g}]", $"node {n} is in more than one group");
                }
            }
        }

        return result;
    }

    private int[] Nodes(string text, int nodes, string field) =>
        ScenarioLoader.ParseNodeSet(text, nodes, out string? error) ?? throw Fail(field, error!);

    private double Probability(double p, string field) =>
        p is >= 0 and <= 1 ? p : throw Fail(field, $"must be a probability between 0 and 1 (was {p.ToString(CultureInfo.InvariantCulture)})");

    private long Micros(double seconds, string field) =>
        double.IsFinite(seconds) && seconds is >= 0 and <= 1e7
            ? (long)Math.Round(seconds * 1e6)
            : throw Fail(field, $"must be between 0 and 10000000 seconds (was {seconds.ToString(CultureInfo.InvariantCulture)})");

    private ScenarioException Fail(string field, string reason) => new(file, field, reason);
}
