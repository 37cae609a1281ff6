using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Hal.Tests.Addons;

/// <summary>PDU relays on I2C expander pins (MCP23017, MCP23008, PCA95x4 through System.Device.Gpio's GpioController), on emulated chips.</summary>
public sealed class ExpanderRelayTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Opening_an_MCP23017_keeps_every_pin_as_found_although_the_binding_resets_the_chip()
    {
        var chip = new FakeMcp23xxx(mcp23017: true);
        chip.Set(0x01, 0b1111_1101);  // IODIRB: GPB1 (pin 9) an output
        chip.Set(0x15, 0b0000_0010);  // OLATB: driven high
        chip.Set(0x02, 0b0000_0100);  // IPOLA: pin 2 inverted
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-1@0x20");
        Assert.Equal(0xFDFF, chip.Direction);
        Assert.Equal(0x0200, chip.Latch);
        Assert.Equal(0b0000_0100, chip.Stored(0x02));
        Assert.True(chip.Level(9));
    }

    [Fact]
    public void Taking_over_an_input_pin_latches_the_level_found_before_it_becomes_an_output()
    {
        var chip = new FakeMcp23xxx(mcp23017: true) { Inputs = 1 << 3 };  // relay board pull-up on GPA3
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-1@0x20");
        using var relay = new ExpanderRelay(expander, 3, "outlet-3", new RelayOptions(ActiveLow: true), _clock);
        Assert.Equal(0, chip.Direction >> 3 & 1);  // output now
        Assert.True(chip.Level(3));                 // still high: the relay did not move
        Assert.False(relay.ReadIsOn());             // active-low: high = off
        _clock.Advance(TimeSpan.FromSeconds(30));
        relay.Switch(true);
        Assert.False(chip.Level(3));
        Assert.Equal(0, chip.Latch & 1 << 3);
        Assert.True(relay.ReadIsOn());
    }

    [Fact]
    public void Dwell_and_hourly_cap_hold_on_an_expander_pin_and_a_refusal_writes_nothing()
    {
        var chip = new FakeMcp23xxx(mcp23017: true);
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-1@0x20");
        using var relay = new ExpanderRelay(expander, 12, "outlet-12", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(60), MaxTogglesPerHour: 2), _clock);
        _clock.Advance(TimeSpan.FromSeconds(59));  // dwell counts from the take-over
        HalException dwell = Assert.Throws<HalException>(() => relay.Switch(true));
        Assert.Equal(HalErrorKind.RateLimited, dwell.Kind);
        Assert.Equal(0, chip.Latch);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(1), relay.NextChangeAllowedAt());
        _clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(true);
        Assert.Equal(1 << 12, chip.Latch);
        relay.Switch(true);  // already on: no change, not counted
        _clock.Advance(TimeSpan.FromSeconds(60));
        relay.Switch(false);
        Assert.Equal(0, chip.Latch);
        _clock.Advance(TimeSpan.FromSeconds(60));
        HalException cap = Assert.Throws<HalException>(() => relay.Switch(true));
        Assert.Equal(HalErrorKind.RateLimited, cap.Kind);
        Assert.Equal(0, chip.Latch);
        // The first change was 2 minutes ago: the cap lifts an hour after it.
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(58), relay.NextChangeAllowedAt());
        _clock.Advance(TimeSpan.FromMinutes(58));
        relay.Switch(true);
        Assert.Equal(1 << 12, chip.Latch);
    }

    [Fact]
    public void The_journal_restores_the_level_found_bypassing_the_dwell()
    {
        var chip = new FakeMcp23xxx(mcp23017: false, address: 0x21) { Inputs = 1 << 5 };
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23008, chip, "i2c-1@0x21");
        ActuatorStateJournal journal = ActuatorStateJournal.Open(Path.Combine(_dir.Path, "state.json"));
        using var relay = new ExpanderRelay(expander, 5, "outlet-5", new RelayOptions(ActiveLow: true, MinimumDwell: TimeSpan.FromSeconds(1)), _clock, journal);
        _clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(true);
        Assert.False(chip.Level(5));
        Assert.Equal(("i2c-gpio", "i2c-1@0x21:5", "1"), (journal.Entries[0].Kind, journal.Entries[0].Target, journal.Entries[0].Value));
        RestoreReport report = journal.RestoreAll(new AddonRestorer(new Dictionary<string, I2cExpander> { ["i2c-1@0x21"] = expander }, new Dictionary<string, Iot.Device.Pwm.Pca9685>()));
        Assert.True(report.Complete);
        Assert.Equal(1, report.Restored);
        Assert.True(chip.Level(5));
        Assert.Equal(0, chip.Direction >> 5 & 1);
    }

    [Fact]
    public void A_PCA95x4_pin_is_driven_through_its_Output_and_Configuration_registers()
    {
        var chip = new FakePca95x4 { Inputs = 0 };
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Pca95x4, chip, "i2c-1@0x38");
        using var relay = new ExpanderRelay(expander, 2, "outlet-2", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(1)), _clock);
        Assert.Equal(0, chip.Configuration >> 2 & 1);  // output
        Assert.Equal(0, chip.Output >> 2 & 1);         // at the low level found (the latch powered on high)
        Assert.Equal(0xFB, chip.Configuration);
        Assert.False(relay.ReadIsOn());
        _clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(true);
        Assert.Equal(1, chip.Output >> 2 & 1);
        Assert.True(relay.ReadIsOn());
    }

    [Fact]
    public void A_pin_the_chip_does_not_have_is_OutOfRange()
    {
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23008, new FakeMcp23xxx(mcp23017: false), "i2c-1@0x20");
        HalException e = Assert.Throws<HalException>(() => new ExpanderRelay(expander, 8, "x", new RelayOptions(), _clock));
        Assert.Equal(HalErrorKind.OutOfRange, e.Kind);
        Assert.Equal("i2c-1@0x20:8", e.Target);
    }

    [Fact]
    public void Bus_errors_become_HalExceptions_naming_bus_and_address()
    {
        var chip = new FakeMcp23xxx(mcp23017: true);
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-1@0x20");
        using var relay = new ExpanderRelay(expander, 0, "outlet-0", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(1)), _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        chip.Failure = new HalException(HalErrorKind.IoError, "write to i2c-1@0x20 failed: EREMOTEIO (no acknowledge) (IoError)", "i2c-1@0x20", 121);
        HalException nack = Assert.Throws<HalException>(() => relay.Switch(true));
        Assert.Equal(121, nack.Errno);
        Assert.Equal("i2c-1@0x20", nack.Target);
        chip.Failure = new IOException("Error 6 performing I2C data transfer.");
        HalException io = Assert.Throws<HalException>(() => relay.ReadIsOn());
        Assert.Equal(HalErrorKind.IoError, io.Kind);
        Assert.Equal("i2c-1@0x20:0", io.Target);
        Assert.Contains("i2c-1@0x20", io.Message);
    }

    [Fact]
    public void An_expander_that_does_not_answer_fails_to_open_with_its_address_and_the_device_is_released()
    {
        var chip = new FakeMcp23xxx(mcp23017: true) { Failure = new HalException(HalErrorKind.Missing, "read from i2c-3@0x27 failed: ENXIO", "i2c-3@0x27", 6) };
        HalException e = Assert.Throws<HalException>(() => I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-3@0x27"));
        Assert.Equal(HalErrorKind.Missing, e.Kind);
        Assert.Equal("i2c-3@0x27", e.Target);
        Assert.True(chip.Disposed);
    }
}
