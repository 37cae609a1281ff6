using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.I2c;
using Iot.Device.Pwm;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>
/// The add-ons of <c>rack.addons</c> in <c>edgegov hw</c>'s listing, opened as the rack opens them
/// (<see cref="AddonDevices"/>): each expander (<c>i2c-expander</c>) and each relay on it (<c>expander-outlet</c>, the
/// pin's level read as it is, On/Off after its <c>activeLow</c>), each PCA9685 channel (<c>pwm-fan</c>, its duty),
/// each temperature sensor (<c>i2c-sensor</c>) and each power monitor (<c>power-monitor</c>, watts, volts and amps).
/// Opening a chip does what the rack's start does (an MCP23xxx binding resets the chip and the state found is written
/// back; an INA219 is reset and calibrated for its shunt; a PCA9685's prescaler is left as found), and nothing else is
/// written. A chip that does not answer is listed as not present with its error; the others are still read. Every
/// device is disposed before this returns.
/// </summary>
internal static class HwAddons
{
    /// <summary>Appends the add-ons of <paramref name="addons"/> to <paramref name="devices"/>.</summary>
    public static void Read(AddonsConfig addons, LinuxRackOptions options, List<HwDevice> devices)
    {
        foreach (ExpanderConfig x in addons.Expanders)
        {
            ReadExpander(x, options, devices);
        }

        foreach (PwmChipConfig c in addons.Pwm)
        {
            ReadPwm(c, options, devices);
        }

        foreach (I2cSensorConfig t in addons.Temperatures)
        {
            string name = Invariant($"{t.Name} ({I2cTarget.Format(t.Bus, t.Address)} {t.Type})");
            try
            {
                using I2cTemperatureSensor sensor = AddonDevices.OpenSensor(t, options);
                int millidegrees = sensor.ReadMillidegreesCelsius();
                devices.Add(new HwDevice("i2c-sensor", name, true, HwReadings.None, Invariant($"{millidegrees / 1000.0:F1} °C"), null));
            }
            catch (HalException e)
            {
                devices.Add(new HwDevice("i2c-sensor", name, false, HwReadings.None, null, e.Message));
            }
        }

        foreach (PowerMonitorConfig m in addons.Power)
        {
            string name = Invariant($"{m.Server} ({I2cTarget.Format(m.Bus, m.Address)} {m.Type}, shunt {m.ShuntOhms} Ω)");
            try
            {
                using Ina219PowerMonitor monitor = AddonDevices.OpenMonitor(m, options);
                ElectricalReading r = monitor.Read();
                devices.Add(new HwDevice("power-monitor", name, true, new HwReadings(Math.Round(r.Watts, 2), null, null),
                    Invariant($"{r.Volts:F3} V, {r.Amps:F3} A"), null));
            }
            catch (HalException e)
            {
                devices.Add(new HwDevice("power-monitor", name, false, HwReadings.None, null, e.Message));
            }
        }
    }

    private static void ReadExpander(ExpanderConfig x, LinuxRackOptions options, List<HwDevice> devices)
    {
        string target = I2cTarget.Format(x.Bus, x.Address);
        I2cExpander expander;
        try
        {
            expander = AddonDevices.OpenExpander(x, options);
        }
        catch (HalException e)
        {
            devices.Add(new HwDevice("i2c-expander", Invariant($"{target} {x.Type}"), false, HwReadings.None, null, e.Message));
            foreach (ExpanderRelayConfig r in x.Relays)
            {
                devices.Add(new HwDevice("expander-outlet", RelayName(r, expander: null, target), false, HwReadings.None, null, e.Message));
            }

            return;
        }

        using (expander)
        {
            devices.Add(new HwDevice("i2c-expander", Invariant($"{target} {x.Type}"), true, HwReadings.None,
                Invariant($"{expander.PinCount} pins, {x.Relays.Length} relays"), null));
            foreach (ExpanderRelayConfig r in x.Relays)
            {
                string name = RelayName(r, expander, target);
                try
                {
                    bool high = expander.ReadLevel(r.Pin) == PinValue.High;
                    devices.Add(new HwDevice("expander-outlet", name, true, new HwReadings(null, null, high != r.ActiveLow ? "On" : "Off"),
                        Invariant($"pin {(high ? "high" : "low")}{(r.ActiveLow ? ", active low" : "")}"), null));
                }
                catch (HalException e)
                {
                    devices.Add(new HwDevice("expander-outlet", name, false, HwReadings.None, null, e.Message));
                }
            }
        }
    }

    private static void ReadPwm(PwmChipConfig c, LinuxRackOptions options, List<HwDevice> devices)
    {
        string target = I2cTarget.Format(c.Bus, c.Address);
        Pca9685 chip;
        I2cDevice device;
        try
        {
            // The prescaler as found: listing does not program frequencyHz.
            (chip, device) = AddonDevices.OpenPwm(c, options, programFrequency: false);
        }
        catch (HalException e)
        {
            foreach (PwmFanConfig f in c.Fans)
            {
                devices.Add(new HwDevice("pwm-fan", FanName(f, target), false, HwReadings.None, null, e.Message));
            }

            return;
        }

        using (device)
        using (chip)
        {
            foreach (PwmFanConfig f in c.Fans)
            {
                try
                {
                    var fan = new Pca9685Fan(chip, target, f.Channel, f.Name);
                    devices.Add(new HwDevice("pwm-fan", FanName(f, target), true, HwReadings.None, Invariant($"duty {fan.ReadDuty()}/255"), null));
                }
                catch (HalException e)
                {
                    devices.Add(new HwDevice("pwm-fan", FanName(f, target), false, HwReadings.None, null, e.Message));
                }
            }
        }
    }

    private static string RelayName(ExpanderRelayConfig r, I2cExpander? expander, string target) =>
        Invariant($"{r.Server} ({expander?.PinTarget(r.Pin) ?? Invariant($"{target}:{r.Pin}")})");

    private static string FanName(PwmFanConfig f, string target) => Invariant($"{f.Name} ({Pca9685Fan.ChannelTarget(target, f.Channel)})");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
