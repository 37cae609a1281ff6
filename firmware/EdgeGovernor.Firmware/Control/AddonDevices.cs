using System.Device.I2c;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.I2c;
using Iot.Device.Pwm;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Opens the chips of <c>rack.addons</c> (validated by <see cref="AddonConfigValidator"/>) through
/// <see cref="LinuxRackOptions.I2cDeviceFactory"/>: the rack (<see cref="LinuxRack"/>) and <c>edgegov hw</c> open them
/// the same way. Every opener owns the device it asked the factory for and disposes it when the chip does not answer;
/// every failure is a <see cref="HalException"/> naming the bus and address.
/// </summary>
internal static class AddonDevices
{
    /// <summary>The expander of <paramref name="x"/>.</summary>
    public static I2cExpander OpenExpander(ExpanderConfig x, LinuxRackOptions options)
    {
        ExpanderKind kind = x.Type switch
        {
            "mcp23017" => ExpanderKind.Mcp23017,
            "mcp23008" => ExpanderKind.Mcp23008,
            _ => ExpanderKind.Pca95x4,
        };
        return I2cExpander.Open(kind, options.I2cDeviceFactory(x.Bus, x.Address, SmbusRegisterWidth.Byte, false), I2cTarget.Format(x.Bus, x.Address));
    }

    /// <summary>
    /// The PCA9685 of <paramref name="c"/>, its prescaler programmed for <c>frequencyHz</c> when set and
    /// <paramref name="programFrequency"/>, and its device, which the caller disposes after the binding.
    /// </summary>
    public static (Pca9685 Chip, I2cDevice Device) OpenPwm(PwmChipConfig c, LinuxRackOptions options, bool programFrequency = true)
    {
        string target = I2cTarget.Format(c.Bus, c.Address);
        I2cDevice device = options.I2cDeviceFactory(c.Bus, c.Address, SmbusRegisterWidth.Byte, false);
        try
        {
            return (new Pca9685(device, programFrequency ? c.FrequencyHz ?? -1 : -1), device);
        }
        catch (Exception e)
        {
            device.Dispose();
            throw e is HalException h ? h : new HalException(HalErrorKind.IoError, $"opening PCA9685 at {target}: {e.Message}", target, 0, e);
        }
    }

    /// <summary>The temperature sensor of <paramref name="t"/>.</summary>
    public static I2cTemperatureSensor OpenSensor(I2cSensorConfig t, LinuxRackOptions options)
    {
        TemperatureSensorKind kind = t.Type switch
        {
            "mcp9808" => TemperatureSensorKind.Mcp9808,
            "sht3x" => TemperatureSensorKind.Sht3x,
            _ => TemperatureSensorKind.Lm75,
        };
        return I2cTemperatureSensor.Open(kind, options.I2cDeviceFactory(t.Bus, t.Address, SmbusRegisterWidth.Word, t.SharedWithKernelDriver),
            t.Name, I2cTarget.Format(t.Bus, t.Address));
    }

    /// <summary>The power monitor of <paramref name="m"/>, calibrated for its shunt.</summary>
    public static Ina219PowerMonitor OpenMonitor(PowerMonitorConfig m, LinuxRackOptions options) =>
        Ina219PowerMonitor.Open(options.I2cDeviceFactory(m.Bus, m.Address, SmbusRegisterWidth.Word, false),
            $"power of {m.Server}", I2cTarget.Format(m.Bus, m.Address), m.ShuntOhms, m.MaxAmps);
}
