using EdgeGovernor.TestSupport;
using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests;

public sealed class ConfigTests
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    private static ConfigLoadResult Parse(string json, TempDir dir) => ConfigLoader.Parse(json, dir.Path);

    [Fact]
    public void Shipped_example_is_valid()
    {
        // As an operator installs it: the example beside the cluster's own key (0600).
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.FirmwareExamples, "edgegov.json"), Path.Combine(dir.Path, "edgegov.json"));
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path); // the example names signing.key beside it (each board makes its own)
        ConfigLoadResult result = ConfigLoader.Load(Path.Combine(dir.Path, "edgegov.json"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        FirmwareConfig c = result.Config!;
        Assert.Equal(1u, c.NodeId);
        Assert.Equal([1u, 2, 3, 4, 5], c.Roster);
        Assert.Equal(2, c.Rack.Servers.Length);
        Assert.Single(c.Keys);
        Assert.Equal(32, c.Keys[0].Secret.Length);
        Assert.True(Path.IsPathRooted(c.ClusterKeyFile));
    }

    [Theory]
    [InlineData(0b110_100_100, "0644")]
    [InlineData(0b110_110_110, "0666")]
    [InlineData(0b110_100_000, "0640")]
    [InlineData(0b111_000_000, "0700")]
    public void A_key_file_open_to_others_is_refused_naming_the_file_and_its_mode(int mode, string octal)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        string key = dir.File("k", Key);
        File.SetUnixFileMode(key, (UnixFileMode)mode);
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k" }""", dir);
        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal("$.clusterKeyFile", error.Path);
        Assert.Contains($"'{key}' has mode {octal}", error.Reason, StringComparison.Ordinal);
        Assert.Contains("0600 or 0400", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b110_000_000)]
    [InlineData(0b100_000_000)]
    public void A_key_file_for_its_owner_only_is_accepted(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        File.SetUnixFileMode(dir.File("k", Key), (UnixFileMode)mode);
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k" }""", dir);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void The_shipped_example_key_is_refused_even_with_mode_0600_and_reformatted()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        string shipped = File.ReadAllText(Path.Combine(RepoPaths.FirmwareExamples, "cluster.key"));
        dir.SecretFile("k", "# copied\n" + shipped.ToUpperInvariant());
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k" }""", dir);
        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal("$.clusterKeyFile", error.Path);
        Assert.Contains("example key shipped with edgegov", error.Reason, StringComparison.Ordinal);
        Assert.Contains("/dev/urandom", error.Reason, StringComparison.Ordinal);

        // The example configuration next to the example key, as shipped, does not start.
        ConfigLoadResult example = ConfigLoader.Load(Path.Combine(RepoPaths.FirmwareExamples, "edgegov.json"));
        Assert.Contains(example.Errors, e => e.Path == "$.clusterKeyFile");
    }

    [Fact]
    public void Minimal_file_gets_safe_defaults()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", Key);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = Parse("""{ "nodeId": 3, "roster": [1,2,3], "clusterKeyFile": "k" }""", dir);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        FirmwareConfig c = result.Config!;
        Assert.Equal("127.0.0.1", c.Observability.HttpAddress);
        Assert.Equal("simulated", c.Rack.Hardware);
        Assert.Equal("synthetic", c.PriceFeed.Kind);
        Assert.Equal("fixed-cap", c.SafePolicy.Mode);
        Assert.Equal(1, c.Network.MulticastTtl);
        Assert.StartsWith("239.", c.Network.MulticastGroup, StringComparison.Ordinal);
        Assert.NotEmpty(c.Rack.Servers);
    }

    [Fact]
    public void Every_semantic_error_is_reported_with_its_path()
    {
        using var dir = new TempDir();
        string json = """
        {
          "nodeId": 0,
          "roster": [1, 1, 0],
          "clusterKeyFile": "missing.key",
          "network": { "multicastGroup": "10.0.0.1", "multicastPort": 70000, "interface": "eth0", "unicastPort": 70000,
                       "peers": [ { "nodeId": 2, "endpoint": "nowhere" } ] },
          "rack": { "hardware": "quantum", "budgetWatts": 100,
                    "servers": [ { "name": "a", "count": 2, "minCapWatts": 100, "maxCapWatts": 50 }, { "name": "a" } ] },
          "jobs": [ { "name": "x", "cpuSensitivity": 2, "share": 0.5 } ],
          "priceFeed": { "kind": "csv", "acceleration": 0 },
          "thresholds": { "utilizationLow": 0.8, "utilizationHigh": 0.5 },
          "timers": { "heartbeatMs": 5, "electionTimeoutMs": 10 },
          "safePolicy": { "mode": "yolo", "capFraction": 0 },
          "observability": { "httpAddress": "localhost", "logLevel": "loud" }
        }
        """;
        ConfigLoadResult result = Parse(json, dir);
        Assert.False(result.IsValid);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        string[] expected =
        [
            "$.nodeId", "$.roster[1]", "$.roster[2]", "$.clusterKeyFile", "$.network.multicastGroup", "$.network.multicastPort",
            "$.network.interface", "$.network.unicastPort", "$.network.peers[0].endpoint", "$.rack.hardware", "$.rack.servers[0].maxCapWatts",
            "$.rack.servers[1].name", "$.rack.budgetWatts", "$.jobs[0].cpuSensitivity", "$.jobs", "$.priceFeed.csvPath", "$.priceFeed.acceleration",
            "$.thresholds.utilizationHigh", "$.timers.heartbeatMs", "$.timers.electionTimeoutMs", "$.safePolicy.mode",
            "$.safePolicy.capFraction", "$.observability.httpAddress", "$.observability.logLevel",
        ];
        foreach (string p in expected)
        {
            Assert.True(paths.Contains(p), $"no error for {p}; got:\n{string.Join("\n", result.Errors)}");
        }
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Fact]
    public void Shape_errors_name_unknown_settings_and_wrong_types_all_at_once()
    {
        using var dir = new TempDir();
        string json = """
        { "nodeId": "one", "roster": 5, "netwrok": {}, "network": { "multicastPort": 1.5, "multicastLoopback": "yes" },
          "rack": { "servers": [ { "count": -1 }, 7 ] }, "priceFeed": null, "timers": { "heartbeatMs": 99999999999 } }
        """;
        ConfigLoadResult result = Parse(json, dir);
        Assert.False(result.IsValid);
        string all = string.Join("\n", result.Errors);
        Assert.Contains("$.nodeId: expected a number, found the string \"one\"", all, StringComparison.Ordinal);
        Assert.Contains("$.roster: expected an array", all, StringComparison.Ordinal);
        Assert.Contains("$.netwrok: unknown setting", all, StringComparison.Ordinal);
        Assert.Contains("$.network.multicastPort: expected a whole number", all, StringComparison.Ordinal);
        Assert.Contains("$.network.multicastLoopback: expected true or false", all, StringComparison.Ordinal);
        Assert.Contains("$.rack.servers[1]: expected an object", all, StringComparison.Ordinal);
        Assert.Contains("$.priceFeed: must not be null", all, StringComparison.Ordinal);
        Assert.Contains("$.timers.heartbeatMs: expected a whole number", all, StringComparison.Ordinal);
        Assert.True(result.Errors.Count >= 8);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{ \"nodeId\": 1, ", "not valid JSON at line 1")]
    [InlineData("[1,2]", "expected an object")]
    [InlineData("42", "expected an object")]
    public void Syntax_errors_are_reported(string json, string expected)
    {
        using var dir = new TempDir();
        ConfigLoadResult result = Parse(json, dir);
        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "holds no key")]
    [InlineData("# only a comment\n", "holds no key")]
    [InlineData("1\n", "expected 'keyId:hexsecret'")]
    [InlineData("300:00112233445566778899aabbccddeeff\n", "key id must be a number")]
    [InlineData("1:xyz\n", "hexadecimal")]
    [InlineData("1:0011\n", "16 to 64 bytes")]
    [InlineData("1:00112233445566778899aabbccddeeff\n1:00112233445566778899aabbccddeeff\n", "appears twice")]
    [InlineData("1:00112233445566778899aabbccddeeff\n2:00112233445566778899aabbccddeeff\n3:00112233445566778899aabbccddeeff\n", "at most 2")]
    public void Bad_key_files_are_reported(string content, string expected)
    {
        using var dir = new TempDir();
        dir.SecretFile("k", content);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k" }""", dir);
        Assert.False(result.IsValid);
        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal("$.clusterKeyFile", error.Path);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_keys_give_current_and_previous()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", "2:00112233445566778899aabbccddeeff\n1:ffeeddccbbaa99887766554433221100\n");
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k" }""", dir);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal([2, 1], result.Config!.Keys.Select(k => (int)k.KeyId));
    }

    [Fact]
    public void Linux_hardware_is_accepted_with_its_paths_resolved_beside_the_config()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", Key);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", "rack": { "hardware": "linux", "sysfsRoot": "fake", "stateFile": "state/actuators.json" } }""", dir);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(Path.Combine(dir.Path, "fake"), result.Config!.Rack.SysfsRoot);
        Assert.Equal(Path.Combine(dir.Path, "state", "actuators.json"), result.Config.Rack.StateFile);

        result = Parse("""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", "rack": { "hardware": "linux", "stateFile": "" } }""", dir);
        Assert.Equal("$.rack.stateFile", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Missing_file_is_an_error_not_a_crash()
    {
        ConfigLoadResult result = ConfigLoader.Load("/nonexistent/edgegov.json");
        Assert.False(result.IsValid);
        Assert.Contains("does not exist", result.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_bad_file_prints_every_error_and_exits_2()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json", """{ "nodeId": 0, "roster": [], "clusterKeyFile": "" }""");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(["run", "--config", path], stdout, stderr);
        Assert.Equal(2, code);
        string text = stderr.ToString();
        Assert.Contains("4 problems", text, StringComparison.Ordinal);
        Assert.Contains("$.signingKeyFile", text, StringComparison.Ordinal);
        Assert.Contains("$.nodeId", text, StringComparison.Ordinal);
        Assert.Contains("$.roster", text, StringComparison.Ordinal);
        Assert.Contains("$.clusterKeyFile", text, StringComparison.Ordinal);
    }
}
