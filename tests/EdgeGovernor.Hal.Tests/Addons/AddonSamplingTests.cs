using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Hal.Tests.Addons;

/// <summary>Add-on sensors and power monitors in the rack sampler: a failed read is counted and never stops the sample.</summary>
public sealed class AddonSamplingTests
{
    [Fact]
    public void A_failing_add_on_keeps_its_previous_value_and_the_others_are_read()
    {
        var lm75 = new FakeLm75 { Celsius = 24 };
        var ina = new FakeIna219 { BusVolts = 24, ShuntVolts = 0.05 };
        using I2cTemperatureSensor inlet = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, lm75, "inlet", "i2c-1@0x48");
        using Ina219PowerMonitor power = Ina219PowerMonitor.Open(ina, "power of web-0", "i2c-1@0x40", 0.01, 20);
        var sampler = new RackSampler([], [inlet], [power]);
        Assert.True(sampler.Sample() == 0, sampler.LastError?.Message);
        Assert.Equal(24000, sampler.TemperaturesMillidegrees[0]);
        Assert.True(sampler.ElectricalValid[0]);
        Assert.Equal(24, sampler.Electrical[0].Volts, 1);
        Assert.Equal(5, sampler.Electrical[0].Amps, 1);
        Assert.Equal(120, sampler.Electrical[0].Watts, 0);

        lm75.Failure = new HalException(HalErrorKind.IoError, "read from i2c-1@0x48 failed: EREMOTEIO", "i2c-1@0x48", 121);
        ina.BusVolts = 23;
        Assert.Equal(1, sampler.Sample());
        Assert.Equal(24000, sampler.TemperaturesMillidegrees[0]);
        Assert.Equal(23, sampler.Electrical[0].Volts, 1);
        Assert.Equal("i2c-1@0x48", sampler.LastError!.Target);

        ina.Failure = new IOException("Error 110 performing I2C data transfer.");
        lm75.Failure = null;
        Assert.Equal(1, sampler.Sample());
        Assert.Equal(23, sampler.Electrical[0].Volts, 1);
        Assert.Equal(2, sampler.Failures);
        Assert.Equal(3, sampler.Samples);
    }

    [Fact]
    public void Sensors_without_servers_are_sampled_after_the_servers_sensors()
    {
        ITemperatureSensor[] extra = [I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, new FakeLm75 { Celsius = 30 }, "inlet", "i2c-1@0x48")];
        var sampler = new RackSampler([], extra);
        sampler.Sample();
        Assert.Equal([30000], sampler.TemperaturesMillidegrees);
        Assert.Empty(sampler.Electrical);
    }
}
