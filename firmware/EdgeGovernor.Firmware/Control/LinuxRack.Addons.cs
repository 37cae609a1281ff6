using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.I2c;
using Iot.Device.Pwm;
using RelayOptions = EdgeGovernor.Hal.Gpio.RelayOptions;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The board's I2C add-ons (<c>rack.addons</c>) through hal's <see cref="Hal.Addons"/>: expanders and PWM chips are opened
/// before the state file is recovered (a crashed run's relays and fan duties are restored through them, see
/// <see cref="AddonRestorer"/>); relays on expander pins become the outlets of their servers, PCA9685 channels join the
/// fans (minimum duty), sensors join the sampled temperatures, and a server's power monitor gives its draw when no BMC or
/// PDU reading is fresh. Every device failure at start names the device and stops the start; while running, a failed
/// read is counted by the sampler and the loop carries on.
/// </summary>
internal sealed partial class LinuxRack
{
    private readonly Dictionary<string, I2cExpander> _expanders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pca9685> _pwmChips = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _addonDevices = [];
    private readonly List<IFan> _addonFans = [];
    private readonly List<ITemperatureSensor> _addonSensors = [];
    private readonly List<IPowerMonitor> _addonMonitors = [];
    private int[] _monitorOf = [];

    /// <summary>The add-ons' power monitors, in <see cref="RackSampler.Electrical"/> order.</summary>
    public IReadOnlyList<IPowerMonitor> PowerMonitors => _addonMonitors;

    // Expanders and PWM chips: opened before the journal is recovered, since restoring goes through them.
    private void OpenAddonActuators(AddonsConfig addons, LinuxRackOptions options)
    {
        foreach (ExpanderConfig x in addons.Expanders)
        {
            string target = I2cTarget.Format(x.Bus, x.Address);
            ExpanderKind kind = x.Type switch
            {
                "mcp23017" => ExpanderKind.Mcp23017,
                "mcp23008" => ExpanderKind.Mcp23008,
                _ => ExpanderKind.Pca95x4,
            };
            I2cExpander expander = I2cExpander.Open(kind, options.I2cDeviceFactory(x.Bus, x.Address, SmbusRegisterWidth.Byte, false), target);
            _expanders.Add(target, expander);
            _addonDevices.Add(expander);
        }

        foreach (PwmChipConfig c in addons.Pwm)
        {
            string target = I2cTarget.Format(c.Bus, c.Address);
            var device = options.I2cDeviceFactory(c.Bus, c.Address, SmbusRegisterWidth.Byte, false);
            Pca9685 chip;
            try
            {
                chip = new Pca9685(device, c.FrequencyHz ?? -1);
            }
            catch (Exception e)
            {
                device.Dispose();
                throw new HalException(e is HalException h ? h.Kind : HalErrorKind.IoError, $"opening PCA9685 at {target}: {e.Message}", target, 0, e);
            }
            _pwmChips.Add(target, chip);
            _addonDevices.Add(chip);
        }
    }

    // Relays, fans, sensors and power monitors, once the journal is open; server i is named names[i].
    private void OpenAddonDevices(AddonsConfig addons, LinuxRackOptions options)
    {
        foreach (ExpanderConfig x in addons.Expanders)
        {
            I2cExpander expander = _expanders[I2cTarget.Format(x.Bus, x.Address)];
            foreach (ExpanderRelayConfig r in x.Relays)
            {
                int server = ServerIndex(r.Server);
                var relay = new ExpanderRelay(expander, r.Pin, $"outlet of {r.Server}",
                    new RelayOptions(r.ActiveLow, TimeSpan.FromSeconds(r.MinimumDwellSeconds), r.MaxTogglesPerHour), options.Time, _journal);
                _relays[server] = relay;
                _relayOn[server] = relay.ReadIsOn();
            }
        }

        foreach (PwmChipConfig c in addons.Pwm)
        {
            string target = I2cTarget.Format(c.Bus, c.Address);
            foreach (PwmFanConfig f in c.Fans)
            {
                _addonFans.Add(new Pca9685Fan(_pwmChips[target], target, f.Channel, f.Name, _journal));
            }
        }

        foreach (I2cSensorConfig t in addons.Temperatures)
        {
            TemperatureSensorKind kind = t.Type switch
            {
                "mcp9808" => TemperatureSensorKind.Mcp9808,
                "sht3x" => TemperatureSensorKind.Sht3x,
                _ => TemperatureSensorKind.Lm75,
            };
            var sensor = I2cTemperatureSensor.Open(kind, options.I2cDeviceFactory(t.Bus, t.Address, SmbusRegisterWidth.Word, t.SharedWithKernelDriver),
                t.Name, I2cTarget.Format(t.Bus, t.Address));
            _addonSensors.Add(sensor);
            _addonDevices.Add(sensor);
        }

        _monitorOf = new int[_names.Length];
        Array.Fill(_monitorOf, -1);
        foreach (PowerMonitorConfig m in addons.Power)
        {
            var monitor = Ina219PowerMonitor.Open(options.I2cDeviceFactory(m.Bus, m.Address, SmbusRegisterWidth.Word, false),
                $"power of {m.Server}", I2cTarget.Format(m.Bus, m.Address), m.ShuntOhms, m.MaxAmps);
            _monitorOf[ServerIndex(m.Server)] = _addonMonitors.Count;
            _addonMonitors.Add(monitor);
            _addonDevices.Add(monitor);
        }
    }

    private int ServerIndex(string name)
    {
        int index = Array.IndexOf(_names, name);
        return index >= 0 ? index : throw new InvalidDataException($"rack.addons names server '{name}', which is not in rack.servers");
    }

    // The server's draw from its power monitor, when one is configured and has read at least once.
    private bool TryAddonPower(int server, out double watts)
    {
        int m = _monitorOf.Length > server ? _monitorOf[server] : -1;
        if (m >= 0 && _sampler.ElectricalValid[m])
        {
            watts = _sampler.Electrical[m].Watts;
            return true;
        }

        watts = 0;
        return false;
    }

    private void DisposeAddons()
    {
        for (int i = _addonDevices.Count - 1; i >= 0; i--)
        {
            _addonDevices[i].Dispose();
        }

        _addonDevices.Clear();
        _expanders.Clear();
        _pwmChips.Clear();
    }
}
