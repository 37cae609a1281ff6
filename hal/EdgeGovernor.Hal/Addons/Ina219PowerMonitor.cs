using System.Device.I2c;
using Iot.Device.Adc;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// An INA219 (<see cref="Ina219"/> binding) on a shunt of <see cref="ShuntOhms"/> as an <see cref="IPowerMonitor"/>. Opening it
/// resets the chip, selects the 32 V bus range and the ±320 mV shunt range, and programs the calibration register for
/// <see cref="MaxAmps"/>: current LSB = max / 32768 A, calibration = trunc(0.04096 / (LSB · R)) (datasheet 8.5.1), so
/// current and power come from the chip's own registers. The binding configures the chip; the readings decode its
/// registers here (the binding returns UnitsNet quantities, whose formatting roots every UnitsNet quantity in a native AOT
/// binary, and reads the bus voltage signed):
/// <code>
/// 0x02 bus voltage  bits 15..3 unsigned, 4 mV each (datasheet 8.6.3.2)
/// 0x03 power        unsigned, 20 · current LSB watts each
/// 0x04 current      two's complement, current LSB amperes each
/// 0x05 calibration  written again before every reading, as the binding does (a brown-out resets it to 0)
/// </code>
/// Readings outside what the chip can produce are refused (<see cref="HalErrorKind.Garbage"/>): bus voltage 0..32 V (the
/// chip is rated to 26 V), |current| ≤ 0.32 V / R, power 0..32 V · that current. Reading allocates nothing.
/// </summary>
public sealed class Ina219PowerMonitor : IPowerMonitor, IDisposable
{
    /// <summary>Full-scale bus voltage in the 32 V range.</summary>
    public const double MaxBusVolts = 32;

    /// <summary>Full-scale shunt voltage at PGA /8.</summary>
    public const double MaxShuntVolts = 0.32;

    private const byte BusVoltageRegister = 0x02, PowerRegister = 0x03, CurrentRegister = 0x04, CalibrationRegister = 0x05;

    private readonly Ina219 _chip;
    private readonly I2cDevice _device;
    private readonly double _maxMeasurableAmps;
    private readonly ushort _calibration;
    private readonly double _currentLsb;

    private Ina219PowerMonitor(Ina219 chip, I2cDevice device, string name, string target, double shuntOhms, double maxAmps, ushort calibration, double currentLsb)
    {
        _chip = chip;
        _device = device;
        _calibration = calibration;
        _currentLsb = currentLsb;
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
            return new Ina219PowerMonitor(chip, device, name, target, shuntOhms, maxAmps, calibration, lsb);
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
            _device.Write([CalibrationRegister, (byte)(_calibration >> 8), (byte)_calibration]);
            volts = (ReadRegister(BusVoltageRegister) >> 3) * 0.004;
            amps = (short)ReadRegister(CurrentRegister) * _currentLsb;
            watts = ReadRegister(PowerRegister) * 20 * _currentLsb;
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

    /// <summary>Disposes the binding, then the device, which the monitor owns whether or not the binding disposes it.</summary>
    public void Dispose()
    {
        _chip.Dispose();
        _device.Dispose();
    }

    private ushort ReadRegister(byte register)
    {
        Span<byte> word = stackalloc byte[2];
        _device.WriteRead([register], word);
        return (ushort)(word[0] << 8 | word[1]);
    }
}
