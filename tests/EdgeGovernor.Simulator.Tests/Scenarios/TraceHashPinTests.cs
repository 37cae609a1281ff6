using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Tests.Scenarios;

/// <summary>
/// Pins the trace hash of the shipped scenarios: every processed event, every sent datagram's bytes and every
/// delivery. A restructure that changes no behaviour leaves each one identical; a deliberate change of the
/// protocol's behaviour or wire bytes updates these values in the same commit and says why.
/// </summary>
public class TraceHashPinTests
{
    [Theory]
    [InlineData("loss-30.json", 1UL, "e53846ed3f91b521")]
    [InlineData("loss-30.json", 2UL, "d832da86f012041c")]
    [InlineData("loss-30.json", 3UL, "55132b3b0ea4ecbe")]
    [InlineData("nack-storm-1000.json", null, "672f2f440575bd9b")]
    [InlineData("leader-crash-100.json", null, "950a4508643d3ca9")]
    [InlineData("bootstrap-1000.json", null, "8ee1751c75826576")]
    [InlineData("partition.json", null, "a606969079ab5592")]
    [InlineData("alternates-crash.json", null, "a13dea5727da490c")]
    [InlineData("flapping.json", null, "200443400c198606")]
    public void Shipped_scenario_trace_hash_is_unchanged(string file, ulong? seed, string expected)
    {
        Simulation sim = ShippedScenarioTests.RunScenario(ScenarioLoader.Load(RepoPaths.Scenario(file), seed));
        Assert.Equal(expected, sim.TraceHash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }
}
