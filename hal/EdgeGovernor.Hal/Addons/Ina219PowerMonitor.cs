using System.Device.I2c;
using Iot.Device.Adc;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// An INA219 (<see cref="Ina219"/> binding) on a shunt of <see cref="ShuntOhms"/> as an <see cref="IPowerMonitor"/>. Opening it
/// resets the chip, selects the 32 V bus range and the ±320 mV shunt range, and programs the calibration register for
/// <see cref="MaxAmps"/>: current LSB = max / 32768 A, calibration = trunc(0.04096 / (LSB · R)) (datasheet 8.5.1), so
/// current and power come from the chip's own registers. Readings outside what the chip can produce are refused
/// (<see cref="HalErrorKind.Garbage"/>): bus voltage 0..32 V (the chip is rated to 26 V), |current| ≤ 0.32 V / R, power 0..32 V · that current.
/// </summary>
public sealed class Ina219PowerMonitor : IPowerMonitor, IDisposable
{
    /// <summary>Full-scale bus voltage in the 32 V range.</summary>
    public const double MaxBusVolts = 32;

    /// <summary>Full-scale shunt voltage at PGA /8.</summary>
    public const double MaxShuntVolts = 0.32;

    private const byte BusVoltageRegister = 0x02;

    private readonly Ina219 _chip;
    private readonly I2cDevice _device;
    private readonly double _maxMeasurableAmps;

    private Ina219PowerMonitor(Ina219 chip, I2cDevice device, string name, string target, double shuntOhms, double maxAmps)
    {
        _chip = chip;
        _device = device;
        Name = name;
        Target = target;
        ShuntOhms = shuntOhms;
        MaxAmps = maxAmps;
        _maxMeasurableAmps = MaxShuntVolts / shuntOhms;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary><c>i2c-1@0x40</c>.</summary>
    public string Target { get; }

    /// <summary>The shunt resistance.</summary>
    public double ShuntOhms { get; }

    /// <summary>The largest current expected (sets the resolution).</summary>
    public double MaxAmps { get; }

    /// <summary>The calibration register value for <paramref name="shuntOhms"/> and <paramref name="maxAmps"/> (1..65534) and the current LSB.</summary>
    public static (ushort Calibration, double CurrentLsb) Calibration(double shuntOhms, double maxAmps)
    {
        if (!(shuntOhms is > 0 and <= 10) || !(maxAmps > 0) || maxAmps > MaxShuntVolts / shuntOhms * (1 + 1e-9))
        {
            throw new HalException(HalErrorKind.OutOfRange,
                $"INA219 shunt {shuntOhms} Ω with a maximum of {maxAmps} A refused: the shunt must be 0..10 Ω and the current at most {MaxShuntVolts} V / shunt");
        }

        double lsb = maxAmps / 32768;
        double calibration = Math.Truncate(0.04096 / (lsb * shuntOhms));
        // The register's bit 0 is unused; the value must fit 15 bits shifted.
        return (calibration is >= 1 and <= 0xFFFE ? (ushort)((ushort)calibration & 0xFFFE) : throw new HalException(HalErrorKind.OutOfRange,
            $"INA219 shunt {shuntOhms} Ω with a maximum of {maxAmps} A gives calibration {calibration}, outside 1..65534"), lsb);
    }

    /// <summary>Opens and calibrates the chip on <paramref name="device"/>, which it owns from now on.</summary>
    public static Ina219PowerMonitor Open(I2cDevice device, string name, string target, double shuntOhms, double maxAmps)
    {
        ArgumentNullException.ThrowIfNull(device);
        (ushort calibration, double lsb) = Calibration(shuntOhms, maxAmps);
        try
        {
            var chip = new Ina219(device);
            chip.Reset();
            chip.BusVoltageRange = Ina219BusVoltageRange.Range32v;
            chip.PgaSensitivity = Ina219PgaSensitivity.PlusOrMinus320mv;
            chip.SetCalibration(calibration, (float)lsb);
            return new Ina219PowerMonitor(chip, device, name, target, shuntOhms, maxAmps);
        }
        catch (Exception e)
        {
            device.Dispose();
            throw AddonErrors.Wrap(e, target, "opening INA219 at");
        }
    }

    /// <inheritdoc/>
    public ElectricalReading Read()
    {
        double volts, amps, watts;
        try
        {
            // Bus voltage register: bits 15..3 unsigned, 4 mV each (datasheet 8.6.3.2). The binding's ReadBusVoltage reads
            // them as a signed number, which turns anything above 16.38 V negative, so the register is decoded here.
            Span<byte> bus = stackalloc byte[2];
            _device.WriteRead([BusVoltageRegister], bus);
            volts = ((bus[0] << 8 | bus[1]) >> 3) * 0.004;
            amps = _chip.ReadCurrent().Amperes;
            watts = (double)_chip.ReadPower().Watts;
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, Target, "reading");
        }

        if (!(volts is >= 0 and <= MaxBusVolts))
        {
            throw AddonErrors.OutOfPhysicalRange(Target, "bus voltage (V)", volts, 0, MaxBusVolts);
        }

        if (!(Math.Abs(amps) <= _maxMeasurableAmps))
        {
            throw AddonErrors.OutOfPhysicalRange(Target, "current (A)", amps, -_maxMeasurableAmps, _maxMeasurableAmps);
        }

        double maxWatts = MaxBusVolts * _maxMeasurableAmps;
        if (!(watts >= 0 && watts <= maxWatts))
        {
            throw AddonErrors.OutOfPhysicalRange(Target, "power (W)", watts, 0, maxWatts);
        }

        return new ElectricalReading(volts, amps, watts);
    }

    /// <summary>Disposes the binding and its device.</summary>
    public void Dispose() => _chip.Dispose();
}
