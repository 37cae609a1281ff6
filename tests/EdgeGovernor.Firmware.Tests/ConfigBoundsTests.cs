using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>
/// Config fuzz table: values that pass a type check but have no physical sense (watts, prices, epochs, accelerations,
/// the protocol's own limits) are each refused with their JSON path, in-process and by the real binary (exit 2, no
/// stack trace).
/// </summary>
public sealed class ConfigBoundsTests
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    // One bad value per row: the extra settings merged into a minimal valid file, and the path that must be named.
    public static TheoryData<string, string> BadValues => new()
    {
        { """ "priceFeed": { "replayEpochUnixMs": 9000000000000000000 } """, "$.priceFeed.replayEpochUnixMs" },
        { """ "priceFeed": { "replayEpochUnixMs": 1733000000, "acceleration": 1000 } """, "$.priceFeed.replayEpochUnixMs" },
        { """ "priceFeed": { "replayEpochUnixMs": 946684800000, "acceleration": 1000, "replayStart": "2024-01-01T00:00:00" } """, "$.priceFeed.replayEpochUnixMs" },
        { """ "priceFeed": { "acceleration": 1000000 } """, "$.priceFeed.acceleration" },
        { """ "priceFeed": { "replayStart": "9999-12-31T23:00:00", "acceleration": 10 } """, "$.priceFeed.replayStart" },
        { """ "priceFeed": { "replayStart": "0001-01-01T00:00:00" } """, "$.priceFeed.replayStart" },
        { """ "priceFeed": { "plausiblePastHours": 1e9 } """, "$.priceFeed.plausiblePastHours" },
        { """ "priceFeed": { "plausibleAheadHours": 0 } """, "$.priceFeed.plausibleAheadHours" },
        { """ "thresholds": { "alternates": 9 } """, "$.thresholds.alternates" },
        { """ "thresholds": { "alternates": 16 } """, "$.thresholds.alternates" },
        { """ "thresholds": { "maxPriceCtPerKwh": 1e300 } """, "$.thresholds.maxPriceCtPerKwh" },
        { """ "thresholds": { "minPriceCtPerKwh": -1e300 } """, "$.thresholds.minPriceCtPerKwh" },
        { """ "rack": { "budgetWatts": 1e300 } """, "$.rack.budgetWatts" },
        { """ "rack": { "budgetWatts": 1e300, "servers": [ { "name": "a", "minCapWatts": 100, "maxCapWatts": 1e300 } ] } """, "$.rack.servers[0].maxCapWatts" },
        { """ "rack": { "servers": [ { "name": "a", "minCapWatts": 1e300, "maxCapWatts": 1e301 } ] } """, "$.rack.servers[0].minCapWatts" },
        { """ "rack": { "servers": [ { "name": "a", "throughputPerHour": 1e300 } ] } """, "$.rack.servers[0].throughputPerHour" },
        { """ "jobs": [ { "name": "j", "valuePerUnitEur": 1e300, "share": 1 } ] """, "$.jobs[0].valuePerUnitEur" },
        { """ "timers": { "coordinatorHeartbeatMs": 10, "electionTimeoutMs": 100 } """, "$.timers.electionTimeoutMs" },
    };

    private static string File(string extra) => $$"""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", {{extra}} }""";

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Each_bad_value_is_refused_with_its_json_path(string extra, string path)
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        ConfigLoadResult result = ConfigLoader.Parse(File(extra), dir.Path);
        Assert.False(result.IsValid, $"accepted: {extra}");
        Assert.Contains(result.Errors, e => e.Path == path);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Fact]
    public void The_real_binary_refuses_each_bad_value_with_exit_2_its_path_and_no_stack_trace()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        foreach (object[] row in BadValues)
        {
            string extra = (string)row[0], path = (string)row[1];
            string config = dir.File("bad.json", File(extra));
            (int code, _, string stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(30), "run", "--config", config);
            Assert.True(code == 2, $"exit {code} for {extra}:\n{stderr}");
            Assert.Contains(path + ":", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_replay_epoch_of_now_with_the_highest_acceleration_is_accepted()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        ConfigLoadResult result = ConfigLoader.Parse(File(
            $$""" "priceFeed": { "replayEpochUnixMs": {{now + 3000}}, "acceleration": 100000, "replayStart": "2024-06-01T00:00:00" } """), dir.Path);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }
}
