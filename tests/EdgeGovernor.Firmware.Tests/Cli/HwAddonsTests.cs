using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Tests.Control;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Firmware.Tests.Cli;

/// <summary>
/// <c>edgegov hw</c>'s listing of <c>rack.addons</c> (<see cref="HwInventory"/>, <see cref="HwAddons"/>) on emulated chips
/// behind <see cref="LinuxRackOptions.I2cDeviceFactory"/>: an MCP23017 with two relays, a PCA9685 fan, an LM75 and an
/// INA219, each with its reading; a chip that does not answer is listed as not present while the others are read; no
/// relay pin is changed and every device is disposed.
/// </summary>
public sealed class HwAddonsTests : IDisposable
{
    private readonly FakeSysfs _sysfs = new();
    private readonly AddonChips _chips = new();
    private readonly FakeMcp23xxx _expander;
    private readonly FakePca9685 _pwm;
    private readonly FakeLm75 _inlet;
    private readonly FakeIna219 _power;

    public HwAddonsTests()
    {
        (_expander, _pwm, _inlet, _power) = (_chips.Expander, _chips.Pwm, _chips.Inlet, _chips.Power);
        _inlet.Celsius = 27.5;
        _sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 100_000_000);
        _pwm.SetChannel(2, 0, 2048);  // duty cycle 0.5
        _expander.Set(0x00, 0xEF);    // GPA4 an output, latched high; GPA5 an input driven high from outside
        _expander.Set(0x14, 0x10);
        _expander.Inputs = 0x20;
    }

    public void Dispose() => _sysfs.Dispose();

    private FirmwareConfig Config() => new()
    {
        NodeId = 1,
        Roster = [1],
        ClusterKeyFile = "k",
        Rack = new RackConfig
        {
            Hardware = "linux",
            SysfsRoot = _sysfs.Root,
            Servers = [new ServerConfig { Name = "a", Count = 1 }, new ServerConfig { Name = "b", Count = 1 }],
            Addons = new AddonsConfig
            {
                Expanders = [new ExpanderConfig { Type = "mcp23017", Bus = 1, Address = 0x20, Relays =
                    [new ExpanderRelayConfig { Pin = 4, Server = "a", ActiveLow = true }, new ExpanderRelayConfig { Pin = 5, Server = "b" }] }],
                Pwm = [new PwmChipConfig { Type = "pca9685", Bus = 1, Address = 0x40, FrequencyHz = 1000, Fans = [new PwmFanConfig { Channel = 2, Name = "front" }] }],
                Temperatures = [new I2cSensorConfig { Type = "lm75", Bus = 1, Address = 0x48, Name = "inlet" }],
                Power = [new PowerMonitorConfig { Type = "ina219", Bus = 1, Address = 0x41, Server = "a", ShuntOhms = 0.1, MaxAmps = 3.2 }],
            },
        },
    };

    private LinuxRackOptions Options() => new() { I2cDeviceFactory = _chips.Factory };

    [Fact]
    public async Task The_listing_names_every_add_on_with_its_reading_and_changes_no_relay()
    {
        List<HwDevice> devices = await HwInventory.ReadAsync(Config(), Options(), CancellationToken.None);

        HwDevice expander = Assert.Single(devices, d => d.Kind == "i2c-expander");
        Assert.Equal(("i2c-1@0x20 mcp23017", true, "16 pins, 2 relays"), (expander.Name, expander.Present, expander.Detail));
        HwDevice[] outlets = [.. devices.Where(d => d.Kind == "expander-outlet")];
        Assert.Equal(["a (i2c-1@0x20:4)", "b (i2c-1@0x20:5)"], outlets.Select(d => d.Name));
        Assert.Equal(["Off", "On"], outlets.Select(d => d.Readings.PowerState));  // pin 4 high, active low: off; pin 5 high: on
        Assert.Equal("pin high, active low", outlets[0].Detail);

        HwDevice fan = Assert.Single(devices, d => d.Kind == "pwm-fan");
        Assert.Equal(("front (i2c-1@0x40/2)", "duty 128/255"), (fan.Name, fan.Detail));
        HwDevice sensor = Assert.Single(devices, d => d.Kind == "i2c-sensor");
        Assert.Equal(("inlet (i2c-1@0x48 lm75)", "27.5 °C"), (sensor.Name, sensor.Detail));
        HwDevice power = Assert.Single(devices, d => d.Kind == "power-monitor");
        Assert.Equal("a (i2c-1@0x41 ina219, shunt 0.1 Ω)", power.Name);
        Assert.Equal(12, power.Readings.PowerWatts!.Value, 0);
        Assert.Equal("12.000 V, 1.000 A", power.Detail);
        Assert.All(devices.Where(d => d.Kind is "i2c-expander" or "expander-outlet" or "pwm-fan" or "i2c-sensor" or "power-monitor"),
            d => Assert.True(d.Present && d.Error is null, d.Name));

        // Nothing moved: GPA4 still an output latched high, GPA5 still an input; the prescaler as found.
        Assert.Equal((0xFFEF, 0x0010), (_expander.Direction, _expander.Latch));
        Assert.Equal(0.5, _pwm.Duty(2), 3);
        Assert.True(_expander.Disposed && _pwm.Disposed && _inlet.Disposed && _power.Disposed);
    }

    [Fact]
    public async Task A_chip_that_does_not_answer_is_listed_as_not_present_and_the_others_are_read()
    {
        _expander.Failure = new Hal.HalException(Hal.HalErrorKind.Missing, "read from i2c-1@0x20 failed: ENXIO", "i2c-1@0x20", 6);
        _inlet.Failure = new TimeoutException("bus timeout");

        List<HwDevice> devices = await HwInventory.ReadAsync(Config(), Options(), CancellationToken.None);

        Assert.All(devices.Where(d => d.Kind is "i2c-expander" or "expander-outlet"), d => Assert.Contains("ENXIO", d.Error, StringComparison.Ordinal));
        Assert.Equal(3, devices.Count(d => d.Kind is "i2c-expander" or "expander-outlet" && !d.Present));
        HwDevice sensor = Assert.Single(devices, d => d.Kind == "i2c-sensor");
        Assert.False(sensor.Present);
        Assert.Contains("i2c-1@0x48", sensor.Error, StringComparison.Ordinal);
        Assert.True(Assert.Single(devices, d => d.Kind == "pwm-fan").Present);
        Assert.True(Assert.Single(devices, d => d.Kind == "power-monitor").Present);
        Assert.True(_expander.Disposed && _inlet.Disposed);
    }
}
