using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests;

/// <summary><c>rack.addons</c> validation: every problem reported with its JSON path.</summary>
public sealed class AddonConfigTests
{
    [Fact]
    public void Every_add_on_problem_names_its_json_path()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "k"), "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        const string json = """
        {
          "nodeId": 1, "roster": [1], "clusterKeyFile": "k",
          "rack": {
            "hardware": "linux", "sysfsRoot": "fake", "stateFile": "state/actuators.json",
            "servers": [
              { "name": "a", "minCapWatts": 40, "maxCapWatts": 120 },
              { "name": "g", "count": 2, "minCapWatts": 40, "maxCapWatts": 120 },
              { "name": "o", "minCapWatts": 40, "maxCapWatts": 120, "outlet": { "chip": "/dev/gpiochip0", "line": 1 } }
            ],
            "addons": {
              "expanders": [
                { "type": "mcp23018", "bus": 1, "address": 32, "relays": [] },
                { "type": "mcp23008", "bus": 1, "address": 72, "relays": [
                  { "pin": 8, "server": "a", "minimumDwellSeconds": 0, "maxTogglesPerHour": 0 },
                  { "pin": 8, "server": "o" }, { "pin": 2, "server": "nobody" }, { "pin": 3, "server": "g" } ] }
              ],
              "pwm": [ { "type": "pca9685", "bus": 1, "address": 112, "frequencyHz": 25000, "fans": [ { "channel": 16, "name": "" } ] } ],
              "temperatures": [ { "type": "lm75", "bus": 2000, "address": 24, "name": "inlet" } ],
              "power": [ { "type": "ina219", "bus": 1, "address": 64, "server": "a", "shuntOhms": 0.1, "maxAmps": 4 },
                         { "type": "ina226", "bus": 1, "address": 65, "server": "a" } ]
            }
          }
        }
        """;
        ConfigLoadResult result = ConfigLoader.Parse(json, dir.Path);
        Assert.False(result.IsValid);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        string[] expected =
        [
            "$.rack.addons.expanders[0].type", "$.rack.addons.expanders[1].address", "$.rack.addons.expanders[1].relays[0].pin",
            "$.rack.addons.expanders[1].relays[0].minimumDwellSeconds", "$.rack.addons.expanders[1].relays[0].maxTogglesPerHour",
            "$.rack.addons.expanders[1].relays[1].pin", "$.rack.addons.expanders[1].relays[1].server", "$.rack.addons.expanders[1].relays[2].server",
            "$.rack.addons.expanders[1].relays[3].server", "$.rack.addons.pwm[0].address", "$.rack.addons.pwm[0].frequencyHz",
            "$.rack.addons.pwm[0].fans[0].channel", "$.rack.addons.pwm[0].fans[0].name", "$.rack.addons.temperatures[0].bus",
            "$.rack.addons.temperatures[0].address", "$.rack.addons.power[0].maxAmps", "$.rack.addons.power[1].type", "$.rack.addons.power[1].server",
        ];
        foreach (string p in expected)
        {
            Assert.True(paths.Contains(p), $"no error for {p}; got:\n{string.Join("\n", result.Errors)}");
        }
        Assert.DoesNotContain(result.Errors, e => e.Path.StartsWith("$.rack.addons", StringComparison.Ordinal) && !expected.Contains(e.Path));
    }

    [Fact]
    public void Add_ons_need_linux_hardware_and_a_valid_set_loads()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        TestSigning.Write(dir.Path);
        string Json(string hardware) => $$"""
        {
          "nodeId": 1, "roster": [1], "clusterKeyFile": "k",
          "rack": {
            "hardware": "{{hardware}}", "sysfsRoot": "fake", "stateFile": "state/actuators.json",
            "servers": [ { "name": "a", "minCapWatts": 40, "maxCapWatts": 120 } ],
            "addons": {
              "expanders": [ { "type": "mcp23017", "bus": 1, "address": 32, "relays": [ { "pin": 15, "server": "a", "activeLow": true } ] } ],
              "pwm": [ { "type": "pca9685", "bus": 1, "address": 64, "frequencyHz": 1000, "fans": [ { "channel": 0, "name": "front" } ] } ],
              "temperatures": [ { "type": "mcp9808", "bus": 1, "address": 24, "name": "inlet" }, { "type": "sht3x", "bus": 1, "address": 68, "name": "rear" } ],
              "power": [ { "type": "ina219", "bus": 1, "address": 65, "server": "a", "shuntOhms": 0.01, "maxAmps": 32 } ]
            }
          }
        }
        """;
        ConfigLoadResult ok = ConfigLoader.Parse(Json("linux"), dir.Path);
        Assert.True(ok.IsValid, string.Join("\n", ok.Errors));
        Assert.Equal(15, ok.Config!.Rack.Addons.Expanders[0].Relays[0].Pin);
        ConfigLoadResult simulated = ConfigLoader.Parse(Json("simulated"), dir.Path);
        Assert.Contains(simulated.Errors, e => e.Path == "$.rack.addons");
    }
}
