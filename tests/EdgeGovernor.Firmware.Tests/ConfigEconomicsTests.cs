using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Demo;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>The settings that give the governor the whole policy: power cycling per server group, deferrable work per job class, day-ahead publication.</summary>
public sealed class ConfigEconomicsTests
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    private static ConfigLoadResult Parse(string rackServer, string job, string feed = "")
    {
        using var dir = new TempDir();
        dir.SecretFile("k", Key);
        TestSigning.Write(dir.Path);
        string json = $$"""
        { "nodeId": 1, "roster": [1], "clusterKeyFile": "k",
          "rack": { "servers": [ { "name": "s", "count": 2, "job": "j" {{rackServer}} } ] },
          "jobs": [ { "name": "j" {{job}} } ],
          "priceFeed": { "kind": "synthetic" {{feed}} } }
        """;
        return ConfigLoader.Parse(json, dir.Path);
    }

    [Fact]
    public void Defaults_are_safe_every_server_protected_and_one_interval_published_ahead()
    {
        ConfigLoadResult result = Parse("", "");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        ServerConfig s = result.Config!.Rack.Servers[0];
        Assert.True(s.Protected);
        Assert.True(new ServerConfig().Protected);
        Assert.Equal(1, result.Config.PriceFeed.PublishAheadHours);
        Assert.False(result.Config.Jobs[0].Deferrable);
    }

    [Theory]
    [InlineData(""", "job": "nope" """, "", "$.rack.servers[0].job", "not one of the jobs' names")]
    [InlineData(""", "throughputPerHour": 0 """, "", "$.rack.servers[0].throughputPerHour", "must be above 0")]
    [InlineData(""", "bootSeconds": 3601 """, "", "$.rack.servers[0].bootSeconds", "0 to 3600")]
    [InlineData(""", "bootSeconds": -1 """, "", "$.rack.servers[0].bootSeconds", "0 to 3600")]
    [InlineData(""", "bootEnergyWh": -5 """, "", "$.rack.servers[0].bootEnergyWh", "from 0")]
    [InlineData(""", "minOnHours": 0 """, "", "$.rack.servers[0].minOnHours", "1 to 24")]
    [InlineData(""", "minOffHours": 25 """, "", "$.rack.servers[0].minOffHours", "1 to 24")]
    [InlineData(""", "maxCyclesPerDay": -1 """, "", "$.rack.servers[0].maxCyclesPerDay", "0 to 24")]
    [InlineData(""", "maxCyclesPerDay": 25 """, "", "$.rack.servers[0].maxCyclesPerDay", "0 to 24")]
    [InlineData("", """, "deferrable": true, "deadlineHours": 0 """, "$.jobs[0].deadlineHours", "whole number of hours from 1 to 24")]
    [InlineData("", """, "deferrable": true, "deadlineHours": 25 """, "$.jobs[0].deadlineHours", "whole number of hours from 1 to 24")]
    [InlineData("", """, "deferrable": true, "deadlineHours": 6.5 """, "$.jobs[0].deadlineHours", "whole number")]
    [InlineData("", """, "deferrable": true, "deadlineHours": 6, "workHoursPerDay": 7 """, "$.jobs[0].workHoursPerDay", "1 to deadlineHours")]
    [InlineData("", """, "deferrable": true, "workHoursPerDay": 0 """, "$.jobs[0].workHoursPerDay", "1 to deadlineHours")]
    [InlineData("", """, "releaseHourOfDay": 24 """, "$.jobs[0].releaseHourOfDay", "0 to 23")]
    [InlineData("", """, "releaseHourOfDay": -1 """, "$.jobs[0].releaseHourOfDay", "0 to 23")]
    [InlineData("", """, "missPenaltyEurPerUnit": -1 """, "$.jobs[0].missPenaltyEurPerUnit", "from 0")]
    [InlineData("", """, "valuePerUnitEur": -0.1 """, "$.jobs[0].valuePerUnitEur", "must not be negative")]
    [InlineData("", """, "cpuSensitivity": 1.5 """, "$.jobs[0].cpuSensitivity", "0 to 1")]
    [InlineData("", "", "$.priceFeed.publishAheadHours", "0 to 48", """, "publishAheadHours": 49 """)]
    [InlineData("", "", "$.priceFeed.publishAheadHours", "0 to 48", """, "publishAheadHours": -1 """)]
    public void Each_bad_economics_setting_is_reported_with_its_path_and_reason(string server, string job, string path, string reason, string feed = "")
    {
        ConfigLoadResult result = Parse(server, job, feed);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_deferrable_class_no_server_runs_is_reported()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", Key);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = ConfigLoader.Parse("""
        { "nodeId": 1, "roster": [1], "clusterKeyFile": "k",
          "rack": { "servers": [ { "name": "s", "count": 2, "job": "web" } ] },
          "jobs": [ { "name": "web", "share": 0.5 }, { "name": "batch", "share": 0.5, "deferrable": true, "deadlineHours": 12, "workHoursPerDay": 4 } ] }
        """, dir.Path);
        Assert.Contains(result.Errors, e => e.Path == "$.jobs[1].deferrable" && e.Reason.Contains("no server runs 'batch'", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_settings_reach_the_policy_model()
    {
        ConfigLoadResult result = Parse(
            """, "protected": false, "bootSeconds": 240, "bootEnergyWh": 30, "minOnHours": 3, "minOffHours": 2, "maxCyclesPerDay": 4, "throughputPerHour": 2 """,
            """, "valuePerUnitEur": 0.05, "cpuSensitivity": 0.8, "deferrable": true, "deadlineHours": 12, "workHoursPerDay": 5, "releaseHourOfDay": 6, "missPenaltyEurPerUnit": 3 """,
            """, "publishAheadHours": 24 """);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        using var rack = new RackController(result.Config!, 1);
        Policy.Model.ServerSpec s = rack.Spec.Servers[1];
        Assert.False(s.Protected);
        Assert.Equal(240, s.BootSeconds);
        Assert.Equal(30, s.BootEnergyWh);
        Assert.Equal(3, s.MinOnHours);
        Assert.Equal(2, s.MinOffHours);
        Assert.Equal(4, s.MaxCyclesPerDay);
        Assert.Equal(2, s.ThroughputPerHour);
        Policy.Model.JobClass j = rack.Spec.JobClasses[s.JobClass];
        Assert.True(j.Deferrable);
        Assert.Equal(12, j.DeadlineHours);
        Assert.Equal(5, j.DailySlots);
        Assert.Equal(6, j.ReleaseHourOfDay);
        Assert.Equal(3, j.MissPenaltyEurPerUnit);
        Assert.Equal(0.05, j.ValuePerUnitEur);
        Assert.Equal(0.8, j.Sensitivity);
        Assert.Same(rack.Spec.Servers[0], rack.Spec.Servers[1]); // identical servers share one spec (and their plans)
    }

    [Fact]
    public void The_demo_configuration_is_valid()
    {
        var config = new FirmwareConfig { NodeId = 1, Roster = [1], ClusterKeyFile = "k", Rack = DemoRunner.DemoRack(), Jobs = DemoRunner.DemoJobs() };
        var errors = new List<ConfigError>();
        ConfigValidator.Validate(config, errors);
        Assert.DoesNotContain(errors, e => e.Path.StartsWith("$.rack", StringComparison.Ordinal) || e.Path.StartsWith("$.jobs", StringComparison.Ordinal));
    }
}
