using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests;

/// <summary><c>rack.inputs</c> is validated with the JSON path of every bad setting.</summary>
public sealed class InputsConfigTests
{
    private static RackConfig Rack(InputsConfig inputs, string hardware = "linux") => new()
    {
        Hardware = hardware,
        Servers = [new ServerConfig { Name = "a", Count = 1, Outlet = new OutletConfig { Chip = "/dev/gpiochip0", Line = 1 } }],
        Inputs = inputs,
    };

    private static List<ConfigError> Errors(RackConfig rack)
    {
        var errors = new List<ConfigError>();
        InputsConfigValidator.Validate(rack, errors);
        return errors;
    }

    [Fact]
    public void A_valid_tachometer_and_alarm_pass()
    {
        Assert.Empty(Errors(Rack(new InputsConfig
        {
            Tachometers = [new TachometerConfig { Name = "fan-1", Chip = "/dev/gpiochip0", Line = 3 }],
            Alarms = [new AlarmInputConfig { Name = "door", Chip = "/dev/gpiochip0", Line = 4, ActiveLow = true, Bias = "pull-up", DebounceMs = 50 }],
        })));
    }

    [Fact]
    public void Every_bad_setting_is_named_by_its_path()
    {
        List<ConfigError> errors = Errors(Rack(new InputsConfig
        {
            Tachometers =
            [
                new TachometerConfig { Name = "fan 1", Chip = "gpiochip0", Line = 512, PulsesPerRevolution = 0, Bias = "up" },
                new TachometerConfig { Name = "dup", Chip = "/dev/gpiochip0", Line = 1 },
            ],
            Alarms = [new AlarmInputConfig { Name = "dup", Chip = "/dev/gpiochip0", Line = 7, DebounceMs = 1001 }],
        }, hardware: "simulated"));
        string[] paths = [.. errors.Select(e => e.Path)];
        Assert.Contains("$.rack.inputs", paths);
        Assert.Contains("$.rack.inputs.tachometers[0].name", paths);
        Assert.Contains("$.rack.inputs.tachometers[0].chip", paths);
        Assert.Contains("$.rack.inputs.tachometers[0].line", paths);
        Assert.Contains("$.rack.inputs.tachometers[0].pulsesPerRevolution", paths);
        Assert.Contains("$.rack.inputs.tachometers[0].bias", paths);
        Assert.Contains(errors, e => e.Path == "$.rack.inputs.tachometers[1].line" && e.Reason.Contains("already used by an outlet", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.rack.inputs.alarms[0].name" && e.Reason.Contains("appears twice", StringComparison.Ordinal));
        Assert.Contains("$.rack.inputs.alarms[0].debounceMs", paths);
    }

    [Fact]
    public void No_inputs_is_nothing_to_check()
    {
        Assert.Empty(Errors(Rack(new InputsConfig(), hardware: "simulated")));
    }
}
