using EdgeGovernor.Hal.Addons;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Hal.Tests.Addons;

/// <summary>LM75, MCP9808 and SHT3x through the bindings as ITemperatureSensor, and the INA219 as a power monitor, on emulated chips.</summary>
public sealed class I2cSensorTests
{
    [Theory]
    [InlineData(25.5, 25500)]
    [InlineData(-55, -55000)]
    [InlineData(125, 125000)]
    [InlineData(-0.5, -500)]
    public void An_LM75_reads_in_millidegrees(double celsius, int expected)
    {
        var chip = new FakeLm75 { Celsius = celsius };
        using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, chip, "inlet", "i2c-1@0x48");
        Assert.Equal(expected, sensor.ReadMillidegreesCelsius());
        Assert.Equal("inlet", sensor.Name);
    }

    [Fact]
    public void An_LM75_reading_above_what_the_chip_can_measure_is_refused()
    {
        var chip = new FakeLm75 { Raw = 0x7FFF };  // 127.9 °C: the register's top, beyond the LM75's 125 °C
        using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, chip, "inlet", "i2c-1@0x48");
        HalException e = Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius());
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.Equal("i2c-1@0x48", e.Target);
    }

    [Fact]
    public void An_LM75_that_does_not_answer_is_Missing_with_bus_and_address()
    {
        var chip = new FakeLm75();
        using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, chip, "inlet", "i2c-1@0x48");
        chip.Failure = new HalException(HalErrorKind.Missing, "read from i2c-1@0x48 failed: ENXIO (no device answers at this address) (Missing)", "i2c-1@0x48", 6);
        HalException e = Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius());
        Assert.Equal((HalErrorKind.Missing, 6, "i2c-1@0x48"), (e.Kind, e.Errno, e.Target));
        chip.Failure = new TimeoutException("bus timeout");
        Assert.Equal(HalErrorKind.Busy, Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius()).Kind);
    }

    [Fact]
    public void An_MCP9808_reads_sixteenths_and_refuses_values_beyond_its_range()
    {
        var chip = new FakeMcp9808 { Celsius = 41.25 };
        using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Mcp9808, chip, "inlet", "i2c-1@0x18");
        Assert.Equal(41250, sensor.ReadMillidegreesCelsius());
        chip.Celsius = -20.125;
        Assert.Equal(-20125, sensor.ReadMillidegreesCelsius());
        chip.Raw = 0x0FFF;  // 255.9 °C
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius()).Kind);
    }

    [Fact]
    public void An_MCP9808_with_another_manufacturer_id_is_refused_at_open()
    {
        var chip = new FakeMcp9808 { ManufacturerId = 0x1234 };
        HalException e = Assert.Throws<HalException>(() => I2cTemperatureSensor.Open(TemperatureSensorKind.Mcp9808, chip, "inlet", "i2c-1@0x18"));
        Assert.Equal("i2c-1@0x18", e.Target);
        Assert.True(chip.Disposed);
    }

    [Fact]
    public void An_SHT3x_reads_its_temperature_and_a_damaged_CRC_is_an_error()
    {
        var chip = new FakeSht3x { Celsius = 23.4 };
        using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Sht3x, chip, "inlet", "i2c-1@0x44");
        Assert.InRange(sensor.ReadMillidegreesCelsius(), 23395, 23405);
        chip.CorruptCrc = true;
        chip.Celsius = 30;
        HalException e = Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius());  // not the previous 23.4 again
        Assert.Equal((HalErrorKind.Garbage, "i2c-1@0x44"), (e.Kind, e.Target));
    }

    [Fact]
    public void The_emulated_SHT3x_checksums_as_the_datasheet_says()
    {
        // Sensirion SHT3x-DIS datasheet, CRC-8 properties: polynomial 0x31, initial 0xFF, 0xBEEF -> 0x92. The emulated
        // chip's CRC is written apart from the driver's, so this anchors both to the datasheet, not to each other.
        Assert.Equal(0x92, FakeSht3x.Crc([0xBE, 0xEF]));
    }

    [Fact]
    public void An_INA219_is_calibrated_for_its_shunt_and_reads_volts_amps_and_watts()
    {
        var chip = new FakeIna219 { BusVolts = 12, ShuntVolts = 0.1 };  // 1 A through 0.1 Ω
        using Ina219PowerMonitor monitor = Ina219PowerMonitor.Open(chip, "power of web-0", "i2c-1@0x40", shuntOhms: 0.1, maxAmps: 3.2);
        Assert.Equal(4194, chip.Calibration);  // trunc(0.04096 / (3.2 / 32768 · 0.1))
        ElectricalReading r = monitor.Read();
        Assert.Equal(12, r.Volts, 2);
        Assert.Equal(1, r.Amps, 2);
        Assert.Equal(12, r.Watts, 0);
    }

    [Fact]
    public void An_INA219_power_beyond_what_the_chip_can_produce_is_refused()
    {
        var chip = new FakeIna219 { BusVolts = 12, ShuntVolts = 0.1, PowerOverride = 0xFFFF };
        using Ina219PowerMonitor monitor = Ina219PowerMonitor.Open(chip, "power of web-0", "i2c-1@0x40", 0.1, 3.2);
        HalException e = Assert.Throws<HalException>(() => monitor.Read());
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.Contains("power", e.Message);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 4.0)]   // above 0.32 V / 0.1 Ω
    [InlineData(20.0, 0.01)]
    public void INA219_calibrations_the_chip_cannot_hold_are_refused(double shunt, double maxAmps) =>
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => Ina219PowerMonitor.Calibration(shunt, maxAmps)).Kind);
}
