using System.Device.I2c;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.I2c;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// The linux backend with I2C add-ons (<c>rack.addons</c>) on emulated chips behind <see cref="LinuxRackOptions.I2cDeviceFactory"/>:
/// a server's outlet on an MCP23017 pin, a fan on a PCA9685, an inlet LM75 and an INA219 power monitor.
/// </summary>
public sealed class LinuxHardwareAddonTests : IDisposable
{
    private readonly FakeSysfs _sysfs = new();
    private readonly ManualClock _clock = new();
    private readonly AddonChips _chips = new();
    private readonly FakeMcp23xxx _expander;
    private readonly FakePca9685 _pwm;
    private readonly FakeLm75 _inlet;
    private readonly FakeIna219 _power;

    public LinuxHardwareAddonTests()
    {
        (_expander, _pwm, _inlet, _power) = (_chips.Expander, _chips.Pwm, _chips.Inlet, _chips.Power);
        _inlet.Celsius = 27;
        _sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 100_000_000);
        _sysfs.AddRaplZone("intel-rapl:1", "package-1", longTermUw: 100_000_000);
        _pwm.SetChannel(2, 0, 2048);
    }

    public void Dispose() => _sysfs.Dispose();

    private RackConfig Rack() => new()
    {
        Hardware = "linux",
        SysfsRoot = _sysfs.Root,
        StateFile = Path.Combine(_sysfs.Root, "state", "actuators.json"),
        Cpufreq = "off",
        BudgetWatts = 1000,
        Servers =
        [
            new ServerConfig { Name = "a", Count = 1, MinCapWatts = 40, MaxCapWatts = 120 },
            new ServerConfig { Name = "b", Count = 1, MinCapWatts = 40, MaxCapWatts = 120, Protected = false },
        ],
        Addons = new AddonsConfig
        {
            Expanders = [new ExpanderConfig { Type = "mcp23017", Bus = 1, Address = 0x20, Relays = [new ExpanderRelayConfig { Pin = 4, Server = "b", ActiveLow = true, MinimumDwellSeconds = 10, MaxTogglesPerHour = 2 }] }],
            Pwm = [new PwmChipConfig { Type = "pca9685", Bus = 1, Address = 0x40, Fans = [new PwmFanConfig { Channel = 2, Name = "front" }] }],
            Temperatures = [new I2cSensorConfig { Type = "lm75", Bus = 1, Address = 0x48, Name = "inlet" }],
            Power = [new PowerMonitorConfig { Type = "ina219", Bus = 1, Address = 0x41, Server = "a", ShuntOhms = 0.1, MaxAmps = 3.2 }],
        },
    };

    private LinuxRackOptions Options() => new()
    {
        Time = _clock,
        I2cDeviceFactory = _chips.Factory,
    };

    [Fact]
    public void Add_ons_switch_the_outlet_raise_the_fan_feed_temperature_and_draw_and_stop_restores_them()
    {
        using (var rack = new LinuxRack(Rack(), null, Options()))
        {
            Assert.True(rack.CanSwitch(1));
            Assert.True(rack.IsServerOn(1));  // pin 4 read low: the active-low relay is closed
            Span<double> watts = stackalloc double[2];
            double hottest = rack.Sample(1, watts);
            Assert.Equal(27, hottest);
            Assert.Equal(12, watts[0], 0);  // the INA219 on server a

            Assert.Equal(1, rack.EnforceMinimumDuty(200));
            Assert.Equal(200 / 255.0, _pwm.Duty(2), 2);

            Assert.False(rack.SetServerPower(1, false));  // inside the 10 s dwell from the take-over
            _clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(rack.SetServerPower(1, false));
            Assert.True(_expander.Level(4));  // off = high
            Assert.Equal(0, _expander.Direction >> 4 & 1);

            _inlet.Failure = new Hal.HalException(Hal.HalErrorKind.IoError, "read from i2c-1@0x48 failed: EREMOTEIO", "i2c-1@0x48", 121);
            Assert.Equal(27, rack.Sample(1, watts));  // previous value kept, failure counted
            Assert.Equal(1, rack.Errors);
            rack.Restore();
        }

        Assert.False(_expander.Level(4));
        Assert.Equal(0.5, _pwm.Duty(2), 3);
        Assert.True(_expander.Disposed && _pwm.Disposed && _inlet.Disposed && _power.Disposed);
    }

    [Fact]
    public void A_crashed_runs_expander_pin_is_restored_before_anything_else()
    {
        RackConfig config = Rack();
        var rack = new LinuxRack(config, null, Options());
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(rack.SetServerPower(1, false));
        Assert.True(_expander.Level(4));
        // Crash: no Restore, no Dispose. The next run finds the state file and puts the pin back first.
        var chip = new FakeMcp23xxx(mcp23017: true);
        chip.Set(0x00, 0xEF);  // the pin is still an output driving high, as the crashed run left it
        chip.Set(0x14, 0x10);
        var options = new LinuxRackOptions { Time = _clock, I2cDeviceFactory = (bus, address, width, shared) => address == 0x20 ? chip : Options().I2cDeviceFactory(bus, address, width, shared) };
        using var next = new LinuxRack(config, null, options);
        Assert.True(next.Recovery.Restored >= 1);
        Assert.False(chip.Level(4));
        Assert.True(next.IsServerOn(1));
    }

    [Fact]
    public void A_chip_that_does_not_answer_stops_the_start_naming_bus_and_address()
    {
        _power.Failure = new Hal.HalException(Hal.HalErrorKind.Missing, "write to i2c-1@0x41 failed: ENXIO", "i2c-1@0x41", 6);
        Hal.HalException e = Assert.Throws<Hal.HalException>(() => new LinuxRack(Rack(), null, Options()));
        Assert.Equal("i2c-1@0x41", e.Target);
        Assert.True(_expander.Disposed && _pwm.Disposed && _inlet.Disposed && _power.Disposed);  // every device opened before it, and its own
    }
}
