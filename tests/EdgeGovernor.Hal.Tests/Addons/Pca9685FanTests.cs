using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.State;
using EdgeGovernor.TestSupport.I2c;
using Iot.Device.Pwm;

namespace EdgeGovernor.Hal.Tests.Addons;

/// <summary>A fan on a PCA9685 channel as an IFan, on an emulated chip.</summary>
public sealed class Pca9685FanTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Duty_maps_onto_the_channel_and_the_journal_restores_the_duty_found()
    {
        var chip = new FakePca9685();
        chip.SetChannel(3, 0, 1024);  // 25 % found
        using var pwm = new Pca9685(chip);
        ActuatorStateJournal journal = ActuatorStateJournal.Open(Path.Combine(_dir.Path, "state.json"));
        var fan = new Pca9685Fan(pwm, "i2c-1@0x40", 3, "front", journal);
        Assert.Equal(64, fan.ReadDuty());
        Assert.False(fan.HasTachometer);
        Assert.Equal(FanControlMode.Manual, fan.ReadMode());
        fan.SetDuty(204);
        Assert.Equal(0.8, chip.Duty(3), 2);
        Assert.Equal(204, fan.ReadDuty());
        Assert.Equal(("pca9685", "i2c-1@0x40/3"), (journal.Entries[0].Kind, journal.Entries[0].Target));
        RestoreReport report = journal.RestoreAll(new AddonRestorer(new Dictionary<string, I2cExpander>(), new Dictionary<string, Pca9685> { ["i2c-1@0x40"] = pwm }));
        Assert.True(report.Complete);
        Assert.Equal(0.25, chip.Duty(3), 3);
    }

    [Fact]
    public void Duty_outside_0_255_automatic_mode_and_the_tachometer_are_refused()
    {
        var chip = new FakePca9685();
        using var pwm = new Pca9685(chip);
        var fan = new Pca9685Fan(pwm, "i2c-1@0x40", 0, "front");
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => fan.SetDuty(256)).Kind);
        Assert.Equal(HalErrorKind.Rejected, Assert.Throws<HalException>(() => fan.SetMode(FanControlMode.Automatic)).Kind);
        Assert.Equal(HalErrorKind.Missing, Assert.Throws<HalException>(() => fan.ReadRpm()).Kind);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => new Pca9685Fan(pwm, "i2c-1@0x40", 16, "x")).Kind);
        fan.SetMode(FanControlMode.Manual);
    }

    [Fact]
    public void A_bus_error_names_the_channel()
    {
        var chip = new FakePca9685();
        using var pwm = new Pca9685(chip);
        var fan = new Pca9685Fan(pwm, "i2c-1@0x40", 7, "rear");
        chip.Failure = new IOException("Error 121 performing I2C data transfer.");
        HalException e = Assert.Throws<HalException>(() => fan.SetDuty(100));
        Assert.Equal((HalErrorKind.IoError, "i2c-1@0x40/7"), (e.Kind, e.Target));
    }
}
