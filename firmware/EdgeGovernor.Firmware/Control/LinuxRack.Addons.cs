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
            I2cExpander expander = AddonDevices.OpenExpander(x, options);
            _expanders.Add(expander.Target, expander);
            _addonDevices.Add(expander);
        }

        foreach (PwmChipConfig c in addons.Pwm)
        {
            (Pca9685 chip, System.Device.I2c.I2cDevice device) = AddonDevices.OpenPwm(c, options);
            _pwmChips.Add(I2cTarget.Format(c.Bus, c.Address), chip);
            _addonDevices.Add(device);  // disposed after the binding (the list is disposed last to first)
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
            I2cTemperatureSensor sensor = AddonDevices.OpenSensor(t, options);
            _addonSensors.Add(sensor);
            _addonDevices.Add(sensor);
        }

        _monitorOf = new int[_names.Length];
        Array.Fill(_monitorOf, -1);
        foreach (PowerMonitorConfig m in addons.Power)
        {
            Ina219PowerMonitor monitor = AddonDevices.OpenMonitor(m, options);
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
