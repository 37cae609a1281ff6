using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string Minimal = """{ "nodes": 4, "duration_seconds": 5 }""";

    [Fact]
    public void Shipped_scenarios_load_with_their_documented_settings()
    {
        Scenario loss = ScenarioLoader.Load(RepoPaths.Scenario("loss-30.json"));
        Assert.Equal(20, loss.Config.NodeCount);
        Assert.Equal(20, loss.Config.Traffic.Publishers.Count);
        Assert.Equal(0.30, loss.Config.Network.Default.DataLoss);
        Assert.Equal(0.30, loss.Config.Network.Default.ControlLoss);
        Assert.Equal(0.05, loss.Config.Network.Default.Duplicate);
        Assert.True(loss.Config.Network.Default.Reorder > 0);

        Scenario storm = ScenarioLoader.Load(RepoPaths.Scenario("nack-storm-1000.json"), seedOverride: 9);
        Assert.Equal(9UL, storm.Config.Seed);
        Assert.Equal(1001, storm.Config.NodeCount);
        Assert.Equal([0], storm.Config.Traffic.Publishers);
        Assert.Equal(0.01, storm.Config.Network.Default.DataLoss);
        Assert.Equal(0.01, storm.Config.Network.SenderDataLoss);
    }

    [Fact]
    public void Defaults_fill_a_minimal_scenario()
    {
        Scenario s = ScenarioLoader.Parse(Minimal, "min.json");
        Assert.Equal("min", s.Name);
        Assert.Equal(ScenarioLoader.DefaultSeed, s.Config.Seed);
        Assert.Equal(5_000_000, s.Config.DurationUs);
        Assert.Empty(s.Config.Traffic.Publishers);
    }

    [Fact]
    public void Links_faults_and_node_sets_are_parsed()
    {
        Scenario s = ScenarioLoader.Parse("""
            {
              "nodes": 10, "duration_seconds": 10,
              "network": {
                "latency": { "kind": "uniform", "min_us": 100, "max_us": 900 },
                "loss": 0.1,
                "links": [ { "from": "0-2", "to": "all", "control_loss": 0.5, "latency": { "kind": "constant", "us": 7000 } } ]
              },
              "traffic": { "publishers": "0,3-4", "rate_per_second": 5, "start_seconds": 1, "stop_seconds": 2 },
              "faults": [
                { "at_seconds": 1.5, "kind": "crash", "nodes": "7" },
                { "at_seconds": 3, "kind": "restart", "nodes": "7" },
                { "at_seconds": 4, "kind": "partition", "groups": ["0-4"] },
                { "at_seconds": 5, "kind": "one_way", "nodes": "0", "to": "5-9" },
                { "at_seconds": 6, "kind": "heal" }
              ]
            }
            """, "x.json");
        Assert.Equal([0, 3, 4], s.Config.Traffic.Publishers);
        Assert.Equal(0.1, s.Config.Network.Default.DataLoss);
        LinkOverride o = Assert.Single(s.Config.Network.Links);
        Assert.Equal(0.5, o.Profile.ControlLoss);
        Assert.Equal(0.1, o.Profile.DataLoss); // inherited
        Assert.Equal(LatencyDistribution.Constant(7000), o.Profile.Latency);
        Assert.Equal(10, o.To.Count);
        Assert.Equal([FaultKind.Crash, FaultKind.Restart, FaultKind.Partition, FaultKind.OneWay, FaultKind.Heal], s.Config.Faults.Select(f => f.Kind));
        Assert.Equal(1_500_000, s.Config.Faults[0].AtUs);
        Assert.Equal([5, 6, 7, 8, 9], s.Config.Faults[3].To);
    }

    [Theory]
    [InlineData("""{ "duration_seconds": 5 }""", "nodes", "required")]
    [InlineData("""{ "nodes": 0, "duration_seconds": 5 }""", "nodes", "between")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "network": { "data_loss": 1.5 } }""", "network.data_loss", "probability")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "network": { "latency": { "kind": "gamma" } } }""", "network.latency.kind", "gamma")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "network": { "latency": { "kind": "uniform", "min_us": 9, "max_us": 3 } } }""", "network.latency", "max_us")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "traffic": { "publishers": "0-9" } }""", "traffic.publishers", "outside")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "traffic": { "publishers": "x" } }""", "traffic.publishers", "not a node")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "traffic": { "publishers": "all", "payload_bytes": 5000 } }""", "traffic.payload_bytes", "1200")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "faults": [ { "at_seconds": 9, "kind": "crash", "nodes": "1" } ] }""", "faults[0].at_seconds", "within")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "traffic": { "publishers": "0", "start_seconds": 3, "stop_seconds": 2 } }""", "traffic.stop_seconds", "between")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "faults": [ { "at_seconds": 1, "kind": "explode" } ] }""", "faults[0].kind", "explode")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "faults": [ { "at_seconds": 1, "kind": "one_way", "nodes": "1" } ] }""", "faults[0].to", "required")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "faults": [ { "at_seconds": 1, "kind": "partition", "groups": ["0-1", "1-2"] } ] }""", "faults[0].groups[1]", "more than one group")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, "colour": "red" }""", "(document)", "colour")]
    [InlineData("""{ "nodes": "four", "duration_seconds": 5 }""", "nodes", "could not be converted")]
    [InlineData("""{ "nodes": 4, "duration_seconds": 5, """, "(document)", "")]
    public void Invalid_scenarios_name_the_file_field_and_reason(string json, string field, string reason)
    {
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "bad.json"));
        Assert.Equal("bad.json", ex.File);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        if (field != "(document)")
        {
            Assert.Equal(field, ex.Field);
        }

        Assert.StartsWith("scenario 'bad.json': ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_protocol_options_are_reported_against_the_protocol_section()
    {
        Scenario s = ScenarioLoader.Parse("""{ "nodes": 4, "duration_seconds": 5, "protocol": { "heartbeat_interval_us": 0 } }""", "p.json");
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioRuntime.CreateFactory(s));
        Assert.Equal("protocol", ex.Field);
        Assert.Contains("HeartbeatIntervalUs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_scenario_error()
    {
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/nonexistent/nope.json"));
        Assert.Equal("(file)", ex.Field);
    }

    [Fact]
    public void Payloads_beyond_the_protocol_maximum_are_refused_before_the_run()
    {
        Scenario s = ScenarioLoader.Parse("""{ "nodes": 4, "duration_seconds": 5, "traffic": { "publishers": "0", "payload_bytes": 1200 } }""", "big.json");
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioRuntime.CreateFactory(s));
        Assert.Equal("traffic.payload_bytes", ex.Field);
    }
}
