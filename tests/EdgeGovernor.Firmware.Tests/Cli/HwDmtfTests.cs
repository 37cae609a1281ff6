using System.Text.Json;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.TestSupport.Redfish;

namespace EdgeGovernor.Firmware.Tests.Cli;

/// <summary>
/// <c>edgegov hw</c> against the DMTF Redfish-Mockup-Server (<c>public-rackmount1</c> as a server's BMC, <c>public-pdu</c> as its
/// PDU): the listing as text and JSON (a real <c>edgegov</c> process), and <c>set-cap</c> as a dry run, with <c>--yes</c> (set,
/// read back, restored) and with <c>--keep</c>, the PowerLimit control read on the server after each.
/// </summary>
public sealed class HwDmtfTests(DmtfMockupFixture dmtf) : IClassFixture<DmtfMockupFixture>
{
    private const string Control = "redfish/v1/Chassis/1U/Controls/PowerLimit";

    private sealed class Rig : IDisposable
    {
        public Rig(DmtfMockupFixture dmtf, bool protectedServer, string outlet = "A1")
        {
            string credentials = Dir.File("redfish.cred", "username=root\npassword=password123456\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            NodeProcess.NewKeyFile(Dir);
            TestSigning.Write(Dir.Path);
            string rack = dmtf.Rackmount!.BaseAddress.GetLeftPart(UriPartial.Authority);
            string pdu = dmtf.Pdu!.BaseAddress.GetLeftPart(UriPartial.Authority);
            Config = Dir.File("edgegov-hw.json", $$"""
                {
                  "nodeId": 1, "roster": [1], "clusterKeyFile": "cluster.key",
                  "rack": {
                    "hardware": "simulated", "stateFile": "state/actuators.json", "budgetWatts": 2000,
                    "servers": [
                      { "name": "rack1-1u", "minCapWatts": 100, "maxCapWatts": 600, "protected": {{(protectedServer ? "true" : "false")}},
                        "redfish": { "address": "{{rack}}", "allowPlainHttp": true, "credentialsFile": "redfish.cred" },
                        "outlet": { "redfish": { "address": "{{pdu}}", "allowPlainHttp": true, "credentialsFile": "redfish.cred", "outlet": "{{outlet}}" } } }
                    ]
                  }
                }
                """);
        }

        public TempDir Dir { get; } = new();

        public string Config { get; }

        public void Dispose() => Dir.Dispose();
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private double? SetPoint()
    {
        string json = DmtfMockupServer.RunPython($"import requests; print(requests.get('{dmtf.Rackmount!.BaseAddress}{Control}').text)");
        using var doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        return root.TryGetProperty("ControlMode", out JsonElement mode) && mode.GetString() == "Disabled" ? null : root.GetProperty("SetPoint").GetDouble();
    }

    [DmtfMockupFact]
    public void The_listing_reads_the_bmc_and_the_outlet_as_text_and_json_from_a_real_process()
    {
        using var rig = new Rig(dmtf, protectedServer: false);
        (int code, string stdout, string stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "hw", "--config", rig.Config);
        Assert.True(code == 0, stderr + stdout);
        Assert.Matches(@"redfish-bmc\s+rack1-1u \(http://127\.0\.0\.1:\d+\)\s+yes\s+\d+(\.\d)?\s+\d+\s+On", stdout);
        Assert.Matches(@"redfish-outlet\s+rack1-1u \(http://127\.0\.0\.1:\d+ outlet A1\)\s+yes\s+\d+(\.\d)?\s+-\s+On", stdout);
        Assert.Contains("2 devices, all present", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "hw", "--config", rig.Config, "--json");
        Assert.True(code == 0, stderr + stdout);
        HwListing listing = JsonSerializer.Deserialize(stdout, HwJsonContext.Default.HwListing)!;
        Assert.Equal(2, listing.Devices.Count);
        HwDevice bmc = listing.Devices[0];
        Assert.Equal("redfish-bmc", bmc.Kind);
        Assert.True(bmc.Present);
        Assert.Null(bmc.Error);
        Assert.Equal("On", bmc.Readings.PowerState);
        Assert.True(bmc.Readings.PowerWatts > 0);
        Assert.Equal(SetPoint(), bmc.Readings.LimitWatts);
        HwDevice outlet = listing.Devices[1];
        Assert.Equal("redfish-outlet", outlet.Kind);
        Assert.True(outlet.Present);
        Assert.Null(outlet.Readings.LimitWatts);
        Assert.True(outlet.Readings.PowerWatts > 0);
    }

    [DmtfMockupFact]
    public void A_missing_outlet_is_listed_as_not_present_with_the_reason_and_exit_1()
    {
        using var rig = new Rig(dmtf, protectedServer: false, outlet: "Z9");
        (int code, string stdout, _) = Run("hw", "--config", rig.Config, "--json");
        Assert.Equal(Program.ExitFailure, code);
        HwListing listing = JsonSerializer.Deserialize(stdout, HwJsonContext.Default.HwListing)!;
        Assert.True(listing.Devices[0].Present);
        Assert.False(listing.Devices[1].Present);
        Assert.Contains("no outlet 'Z9'", listing.Devices[1].Error, StringComparison.Ordinal);
    }

    [DmtfMockupFact]
    public void Set_cap_is_a_dry_run_without_yes_restored_after_reading_back_with_it_and_kept_with_keep()
    {
        using var rig = new Rig(dmtf, protectedServer: false);
        (int code, string stdout, string stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "500", "--yes", "--keep");
        Assert.True(code == 0, stderr + stdout);
        Assert.Equal(500, SetPoint());

        (code, stdout, stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "420");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("power limit 500 W", stdout, StringComparison.Ordinal);
        Assert.Contains("dry run: would set the power limit to 420 W and back to 500 W", stdout, StringComparison.Ordinal);
        Assert.Equal(500, SetPoint()); // nothing sent

        (code, stdout, stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "420", "--yes");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("power limit was 500 W, set to 420 W, reads back 420 W", stdout, StringComparison.Ordinal);
        Assert.Contains("restored, power limit reads back 500 W", stdout, StringComparison.Ordinal);
        Assert.Equal(500, SetPoint());

        (code, stdout, stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "430", "--yes", "--keep");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("kept (--keep)", stdout, StringComparison.Ordinal);
        Assert.Equal(430, SetPoint());

        (code, stdout, stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "5000", "--yes");
        Assert.Equal(Program.ExitFailure, code); // outside the control's AllowableMin..AllowableMax
        Assert.Contains("refused", stderr, StringComparison.Ordinal);
        Assert.Equal(430, SetPoint());

        (code, stdout, stderr) = Run("hw", "--config", rig.Config, "clear-cap", "rack1-1u", "--yes");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("was 430 W, cleared, reads back none", stdout, StringComparison.Ordinal);
        Assert.Equal(430, SetPoint());
    }

    [DmtfMockupFact]
    public void A_protected_server_is_refused_without_force_and_unknown_servers_are_usage_errors()
    {
        using var rig = new Rig(dmtf, protectedServer: true);
        (int code, _, string stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "420", "--yes");
        Assert.Equal(Program.ExitUsage, code);
        Assert.Contains("is protected", stderr, StringComparison.Ordinal);
        (code, string stdout, stderr) = Run("hw", "--config", rig.Config, "set-cap", "rack1-1u", "420", "--force");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("dry run", stdout, StringComparison.Ordinal);
        (code, _, stderr) = Run("hw", "--config", rig.Config, "power", "nobody", "off", "--yes");
        Assert.Equal(Program.ExitUsage, code);
        Assert.Contains("no server 'nobody'", stderr, StringComparison.Ordinal);
    }

    [DmtfMockupFact]
    public void Outlet_off_switches_by_patch_reads_back_and_restores()
    {
        using var rig = new Rig(dmtf, protectedServer: false, outlet: "B2");
        (int code, string stdout, string stderr) = Run("hw", "--config", rig.Config, "outlet", "rack1-1u", "off", "--yes");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("was on, switched off, reads back Off", stdout, StringComparison.Ordinal);
        Assert.Contains("restored, reads back On", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_configuration_exits_2_with_every_error()
    {
        using var dir = new TempDir();
        string config = dir.File("bad.json", """{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", "rack": { "servers": [ { "name": "a", "redfish": { "address": "ftp://x" } } ] } }""");
        (int code, _, string stderr) = Run("hw", "--config", config);
        Assert.Equal(Program.ExitUsage, code);
        Assert.Contains("$.rack.servers[0].redfish.address", stderr, StringComparison.Ordinal);
        Assert.Contains("$.rack.servers[0].redfish.credentialsFile", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_listing_reads_the_boards_sysfs_devices_and_names_a_bmc_that_does_not_answer()
    {
        using var dir = new TempDir();
        using var sysfs = new FakeSysfs();
        sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
        sysfs.AddCpuFreqPolicy(0);
        sysfs.AddHwmon(0);
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        string credentials = dir.File("bmc.cred", "username=a\npassword=b\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        int silent = FreePorts.Udp();
        string config = dir.File("board.json", $$"""
            { "nodeId": 1, "roster": [1], "clusterKeyFile": "cluster.key",
              "rack": { "hardware": "linux", "sysfsRoot": "{{sysfs.Root}}", "stateFile": "state/a.json", "budgetWatts": 2000,
                "servers": [ { "name": "board", "minCapWatts": 40, "maxCapWatts": 120 },
                             { "name": "remote", "bmc": { "host": "127.0.0.1", "port": {{silent}}, "credentialsFile": "bmc.cred", "timeoutMs": 100, "retries": 0 } } ] } }
            """);
        var stdout = new StringWriter();
        int code = HwRunner.Run(new HwCommand(config, true, HwVerb.List, null, 0, false, false, false, false), stdout, new StringWriter(), new LinuxRackOptions());
        Assert.Equal(Program.ExitFailure, code);
        HwListing listing = JsonSerializer.Deserialize(stdout.ToString(), HwJsonContext.Default.HwListing)!;
        HwDevice zone = Assert.Single(listing.Devices, d => d.Kind == "rapl-zone");
        Assert.Equal("intel-rapl:0", zone.Name);
        Assert.True(zone.Present);
        Assert.Equal(124, zone.Readings.LimitWatts);
        Assert.True(Assert.Single(listing.Devices, d => d.Kind == "cpufreq-policy").Present);
        Assert.Contains("rpm", Assert.Single(listing.Devices, d => d.Kind == "fan").Detail, StringComparison.Ordinal);
        Assert.Contains("45.0 °C", Assert.Single(listing.Devices, d => d.Kind == "sensor").Detail, StringComparison.Ordinal);
        HwDevice bmc = Assert.Single(listing.Devices, d => d.Kind == "ipmi-bmc");
        Assert.False(bmc.Present);
        Assert.False(string.IsNullOrEmpty(bmc.Error));
    }
}
