using EdgeGovernor.Simulator.Cluster;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Tests.Cluster;

public sealed class ClusterSettingsTests
{
    private static Scenario Parse(string cluster) =>
        ScenarioLoader.Parse($$"""{ "nodes": 5, "duration_seconds": 10, "cluster": {{cluster}} }""", "test.json");

    [Theory]
    [InlineData("""{ "bogus": 1 }""", "cluster.bogus")]
    [InlineData("""{ "alternates": 9 }""", "cluster.alternates")]
    [InlineData("""{ "alternates": 1.5 }""", "cluster.alternates")]
    [InlineData("""{ "use_ranking": "yes" }""", "cluster.use_ranking")]
    [InlineData("""{ "roster": "7" }""", "cluster.roster")]
    [InlineData("""{ "price_period_seconds": -1 }""", "cluster.price_period_seconds")]
    [InlineData("""{ "kill_coordinator": { "min_gap_seconds": 5, "max_gap_seconds": 1 } }""", "cluster.kill_coordinator")]
    [InlineData("""{ "flap": { "period_seconds": 1, "down_seconds": 2 } }""", "cluster.flap")]
    [InlineData("""{ "leader_timeout_us": 50000, "coordinator_heartbeat_us": 100000 }""", "cluster")]
    [InlineData("""[1]""", "cluster")]
    public void Bad_cluster_sections_name_the_field(string section, string field)
    {
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioRuntime.CreateFactory(Parse(section)));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void A_valid_section_is_read_with_defaults_and_overrides()
    {
        ClusterSettings s = ClusterSettings.From(Parse("""{ "roster": "0-2", "alternates": 1, "use_alternates": false, "price_period_seconds": 5 }"""))!;
        Assert.Equal([0, 1, 2], s.Roster!);
        Assert.Equal(1, s.Election.Alternates);
        Assert.False(s.Election.UseAlternates);
        Assert.True(s.Election.UseRanking);
        Assert.Equal(5, s.PricePeriodSeconds);
        Assert.Null(s.Kill);
        Assert.Null(ClusterSettings.From(ScenarioLoader.Parse("""{ "nodes": 2, "duration_seconds": 1 }""", "plain.json")));
    }
}
