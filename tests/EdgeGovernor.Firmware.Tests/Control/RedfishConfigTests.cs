using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary><c>servers[].redfish</c> and <c>servers[].outlet.redfish</c>: defaults, paths resolved beside the file, every error with its JSON path.</summary>
public sealed class RedfishConfigTests
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
    private const string Pin = "5E:3C:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:A1";

    private static TempDir Dir(UnixFileMode credentialsMode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var dir = new TempDir();
        dir.SecretFile("k", Key);
        TestSigning.Write(dir.Path);
        string cred = dir.File("bmc.redfish", "username=operator\npassword=secret\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cred, credentialsMode);
        dir.File("ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        return dir;
    }

    private static ConfigLoadResult Parse(TempDir dir, string servers) =>
        ConfigLoader.Parse($$"""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", "rack": { "budgetWatts": 5000, "servers": [{{servers}}] } }""", dir.Path);

    private static void AssertError(ConfigLoadResult result, string path, string reason)
    {
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_redfish_server_and_outlets_on_one_pdu_are_valid_with_defaults_and_paths_beside_the_file()
    {
        using TempDir dir = Dir();
        ConfigLoadResult result = Parse(dir, $$"""
            { "name": "a", "redfish": { "address": "https://10.0.7.21", "credentialsFile": "bmc.redfish", "pinnedSha256": "{{Pin}}" },
              "outlet": { "redfish": { "address": "https://10.0.7.40", "credentialsFile": "bmc.redfish", "caFile": "ca.pem", "outlet": "A1" } } },
            { "name": "b", "outlet": { "redfish": { "address": "https://10.0.7.40", "credentialsFile": "bmc.redfish", "caFile": "ca.pem", "outlet": "A2" } } }
            """);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        RedfishConfig r = result.Config!.Rack.Servers[0].Redfish!;
        Assert.Equal(Path.Combine(dir.Path, "bmc.redfish"), r.CredentialsFile);
        Assert.Equal(5000, r.TimeoutMs);
        Assert.Equal(2, r.Retries);
        Assert.Equal(2000, r.PollMs);
        Assert.True(r.PowerLimit);
        Assert.Equal("soft", r.PowerOff);
        Assert.False(r.AllowPlainHttp);
        Assert.Equal(Path.Combine(dir.Path, "ca.pem"), result.Config.Rack.Servers[1].Outlet!.Redfish!.CaFile);
        Assert.Equal("https://10.0.7.21", r.ClientOptions().BaseAddress.GetLeftPart(UriPartial.Authority));
    }

    [Theory]
    [InlineData("\"address\": \"10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\"", "$.rack.servers[0].redfish.address", "is not https://host[:port]")]
    [InlineData("\"address\": \"https://10.0.7.21/redfish/v1\", \"pinnedSha256\": \"" + Pin + "\"", "$.rack.servers[0].redfish.address", "(no path)")]
    [InlineData("\"address\": \"http://10.0.7.21\"", "$.rack.servers[0].redfish.allowPlainHttp", "plain HTTP")]
    [InlineData("\"address\": \"https://10.0.7.21\"", "$.rack.servers[0].redfish", "give caFile")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"abc\"", "$.rack.servers[0].redfish.pinnedSha256", "64 hex digits")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"caFile\": \"missing.pem\"", "$.rack.servers[0].redfish.caFile", "does not exist")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"timeoutMs\": 50", "$.rack.servers[0].redfish.timeoutMs", "from 100 to 120000")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"retries\": 11", "$.rack.servers[0].redfish.retries", "from 0 to 10")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"pollMs\": 100", "$.rack.servers[0].redfish.pollMs", "from 200 to 600000")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"powerOff\": \"yank\"", "$.rack.servers[0].redfish.powerOff", "is not one of")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"exceptionAction\": \"boom\"", "$.rack.servers[0].redfish.exceptionAction", "is not one of")]
    [InlineData("\"address\": \"https://10.0.7.21\", \"pinnedSha256\": \"" + Pin + "\", \"maxTogglesPerHour\": 0", "$.rack.servers[0].redfish.maxTogglesPerHour", "from 1 to 60")]
    public void Bad_bmc_settings_are_reported_with_their_path(string settings, string path, string reason)
    {
        using TempDir dir = Dir();
        AssertError(Parse(dir, $$"""{ "name": "a", "redfish": { "credentialsFile": "bmc.redfish", {{settings}} } }"""), path, reason);
    }

    [Fact]
    public void Credentials_must_exist_and_be_0600()
    {
        using TempDir open = Dir(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        AssertError(Parse(open, $$"""{ "name": "a", "redfish": { "address": "https://10.0.7.21", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish" } }"""),
            "$.rack.servers[0].redfish.credentialsFile", "chmod 600");
        using TempDir dir = Dir();
        AssertError(Parse(dir, $$"""{ "name": "a", "redfish": { "address": "https://10.0.7.21", "pinnedSha256": "{{Pin}}" } }"""),
            "$.rack.servers[0].redfish.credentialsFile", "must name the file");
        AssertError(Parse(dir, $$"""{ "name": "a", "redfish": { "address": "https://10.0.7.21", "pinnedSha256": "{{Pin}}", "credentialsFile": "nope" } }"""),
            "$.rack.servers[0].redfish.credentialsFile", "nope");
    }

    [Fact]
    public void One_bmc_per_server_and_one_server_per_bmc_and_outlet()
    {
        using TempDir dir = Dir();
        string redfish = $$"""{ "address": "https://10.0.7.21", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish" }""";
        AssertError(Parse(dir, $$"""{ "name": "a", "count": 2, "redfish": {{redfish}} }"""), "$.rack.servers[0].count", "one BMC per server");
        AssertError(Parse(dir, $$"""{ "name": "a", "redfish": {{redfish}}, "bmc": { "host": "10.0.0.1", "credentialsFile": "bmc.redfish" } }"""),
            "$.rack.servers[0].redfish", "not both");
        AssertError(Parse(dir, $$"""{ "name": "a", "redfish": {{redfish}} }, { "name": "b", "redfish": {{redfish}} }"""),
            "$.rack.servers[1].redfish.address", "already another server's");
        string outlet = $$"""{ "redfish": { "address": "https://10.0.7.40", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish", "outlet": "A1" } }""";
        AssertError(Parse(dir, $$"""{ "name": "a", "outlet": {{outlet}} }, { "name": "b", "outlet": {{outlet}} }"""),
            "$.rack.servers[1].outlet.redfish.outlet", "already another server's");
    }

    [Fact]
    public void Bad_outlet_settings_are_reported_with_their_path()
    {
        using TempDir dir = Dir();
        string Outlet(string extra, string outlet = "A1") =>
            $$"""{ "redfish": { "address": "https://10.0.7.40", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish", "outlet": "{{outlet}}" }{{extra}} }""";
        AssertError(Parse(dir, $$"""{ "name": "a", "outlet": {{Outlet("", "")}} }"""),
            "$.rack.servers[0].outlet.redfish.outlet", "must name the outlet");
        AssertError(Parse(dir, $$"""{ "name": "a", "outlet": {{Outlet(", \"chip\": \"/dev/gpiochip0\", \"line\": 3")}} }"""), "$.rack.servers[0].outlet", "not both");
        AssertError(Parse(dir, $$"""{ "name": "a", "outlet": {{Outlet(", \"maxTogglesPerHour\": 0")}} }"""), "$.rack.servers[0].outlet.maxTogglesPerHour", "from 1 to 60");
        string other = $$"""{ "redfish": { "address": "https://10.0.7.40", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish", "outlet": "A2", "timeoutMs": 900 } }""";
        AssertError(Parse(dir, $$"""{ "name": "a", "outlet": {{Outlet("")}} }, { "name": "b", "outlet": {{other}} }"""),
            "$.rack.servers[1].outlet.redfish", "the same address, credentials");
    }

    [Fact]
    public void The_redfish_board_example_is_valid()
    {
        // As an operator installs it: the example, the cluster key, the CA and the three credentials files (chmod 600).
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-redfish.json"), Path.Combine(dir.Path, "edgegov-redfish.json"));
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path); // the example names signing.key beside it (each board makes its own)
        dir.File("dc-ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        foreach (string name in new[] { "bmc-db-1.redfish", "bmc-batch-1.redfish", "pdu-rack07.redfish" })
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.File(name, "username=edgegov\npassword=change-me\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        ConfigLoadResult result = ConfigLoader.Load(Path.Combine(dir.Path, "edgegov-redfish.json"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("https://10.0.7.21", result.Config!.Rack.Servers[1].Redfish!.Address);
        Assert.Equal("A4", result.Config.Rack.Servers[2].Outlet!.Redfish!.Outlet);
        Assert.Equal(Path.Combine(dir.Path, "dc-ca.pem"), result.Config.Rack.Servers[2].Redfish!.CaFile);
    }

    [Fact]
    public void Unknown_redfish_settings_are_refused_by_shape()
    {
        using TempDir dir = Dir();
        ConfigLoadResult result = Parse(dir, $$"""{ "name": "a", "redfish": { "address": "https://10.0.7.21", "pinnedSha256": "{{Pin}}", "credentialsFile": "bmc.redfish", "password": "x" } }""");
        Assert.Contains(result.Errors, e => e.Path == "$.rack.servers[0].redfish.password");
    }
}
