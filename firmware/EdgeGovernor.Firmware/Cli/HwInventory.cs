using System.Device.Gpio;
using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>
/// Lists and reads every device of a configuration for <c>edgegov hw</c>: with <c>rack.hardware = "linux"</c> the RAPL
/// zones, cpufreq policies, fans and temperature sensors found under <c>rack.sysfsRoot</c>; then per server its GPIO outlet
/// (the line's level, read without changing it), its IPMI or Redfish BMC (power state, power, limit) and its outlet on a
/// Redfish PDU (state, power, energy); then the I2C add-ons of <c>rack.addons</c> (<see cref="HwAddons"/>). Nothing is
/// written, except what opening an add-on chip does. A device that cannot be opened or does not answer is listed as
/// not present with the error in words; the other devices are still read.
/// </summary>
internal static class HwInventory
{
    /// <summary>How long RAPL energy counters are watched to tell the power.</summary>
    public static readonly TimeSpan EnergyWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads every device of <paramref name="config"/>.</summary>
    public static async Task<List<HwDevice>> ReadAsync(FirmwareConfig config, LinuxRackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var devices = new List<HwDevice>();
        if (config.Rack.Hardware == "linux")
        {
            await ReadSysfsAsync(config.Rack.SysfsRoot, devices, cancellationToken).ConfigureAwait(false);
            HwAddons.Read(config.Rack.Addons, options, devices);
        }

        var pdus = new Dictionary<string, RedfishPdu>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (ServerConfig s in config.Rack.Servers)
            {
                if (s.Outlet is { Redfish: null } gpio)
                {
                    devices.Add(ReadGpioOutlet(s.Name, gpio, options));
                }
                if (s.Bmc is { } b)
                {
                    devices.Add(await ReadBmcAsync("ipmi-bmc", $"{s.Name} ({b.Host}:{b.Port})", () => options.BmcFactory(b), cancellationToken).ConfigureAwait(false));
                }
                if (s.Redfish is { } r)
                {
                    devices.Add(await ReadBmcAsync("redfish-bmc", $"{s.Name} ({r.Address})", () => options.RedfishBmcFactory(r), cancellationToken).ConfigureAwait(false));
                }
                if (s.Outlet?.Redfish is { } o)
                {
                    devices.Add(await ReadRedfishOutletAsync(s.Name, o, pdus, options, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (RedfishPdu pdu in pdus.Values)
            {
                await pdu.DisposeAsync().ConfigureAwait(false);
            }
        }
        return devices;
    }

    /// <summary>The name a server's outlet on a Redfish PDU is listed under.</summary>
    public static string OutletName(string server, RedfishOutletConfig o) => $"{server} ({o.Address.TrimEnd('/')} outlet {o.Outlet})";

    private static async Task ReadSysfsAsync(string sysfsRoot, List<HwDevice> devices, CancellationToken cancellationToken)
    {
        LinuxServerHardware hardware;
        try
        {
            hardware = LinuxServerHardware.Discover(new SysfsRoot(sysfsRoot), Environment.MachineName);
        }
        catch (HalException e)
        {
            devices.Add(new HwDevice("sysfs", sysfsRoot, false, HwReadings.None, null, e.Message));
            return;
        }
        using (hardware)
        {
            IReadOnlyList<IPowerCapZone> zones = hardware.PowerCapZones;
            var before = new long?[zones.Count];
            for (int i = 0; i < zones.Count; i++)
            {
                before[i] = Try(zones[i].ReadEnergyMicrojoules, out _);
            }
            await Task.Delay(EnergyWindow, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < zones.Count; i++)
            {
                devices.Add(ReadZone(zones[i], before[i]));
            }
            foreach (ICpuFreqPolicy policy in hardware.CpuFreqPolicies)
            {
                string? error = null;
                string detail = Invariant($"{Try(policy.ReadCurrentKhz, out error)} kHz, limits {Try(policy.ReadMinKhz, out string? e2)}..{Try(policy.ReadMaxKhz, out string? e3)} kHz (hardware {policy.HardwareMinKhz}..{policy.HardwareMaxKhz}), governor {TryText(policy.ReadGovernor, out string? e4)}");
                error ??= e2 ?? e3 ?? e4;
                devices.Add(new HwDevice("cpufreq-policy", policy.Name, error is null, HwReadings.None, detail, error));
            }
            foreach (IFan fan in hardware.Fans)
            {
                string detail = Invariant($"duty {Try(fan.ReadDuty, out string? error)}/255, mode {TryText(() => fan.ReadMode().ToString(), out string? e2)}") +
                    (fan.HasTachometer ? Invariant($", {Try(fan.ReadRpm, out string? e3)} rpm") : "");
                error ??= e2;
                devices.Add(new HwDevice("fan", fan.Name, error is null, HwReadings.None, detail, error));
            }
            foreach (ITemperatureSensor sensor in hardware.Temperatures)
            {
                long? millidegrees = Try(sensor.ReadMillidegreesCelsius, out string? error);
                devices.Add(new HwDevice("sensor", sensor.Name, error is null, HwReadings.None,
                    millidegrees is { } m ? Invariant($"{m / 1000.0:F1} °C") : null, error));
            }
        }
    }

    private static HwDevice ReadZone(IPowerCapZone zone, long? before)
    {
        long? after = Try(zone.ReadEnergyMicrojoules, out string? error);
        double? watts = null;
        if (before is { } b && after is { } a)
        {
            long delta = a >= b ? a - b : a + zone.MaxEnergyRangeMicrojoules - b;
            watts = Math.Round(delta / 1e6 / EnergyWindow.TotalSeconds, 1);
        }
        double? limit = null;
        if (zone.Constraints.Count > 0)
        {
            limit = Try(() => zone.ReadPowerLimitMicrowatts(0), out string? e2) / 1e6;
            error ??= e2;
        }
        string detail = Invariant($"{zone.Name}{(zone.IsLocked ? ", locked" : "")}, {zone.Constraints.Count} constraints");
        return new HwDevice("rapl-zone", zone.Id, error is null, new HwReadings(watts, limit, null), detail, error);
    }

    private static HwDevice ReadGpioOutlet(string server, OutletConfig o, LinuxRackOptions options)
    {
        string name = Invariant($"{server} ({o.Chip} line {o.Line})");
        try
        {
            using var controller = new GpioController(options.GpioDriverFactory(o.Chip));
            // Taken over at the level it has (no glitch), read, released at that level; nothing recorded.
            using var relay = new Relay(controller, o.Chip, o.Line, $"outlet of {server}", new RelayOptions(o.ActiveLow), options.Time);
            return new HwDevice("gpio-outlet", name, true, new HwReadings(null, null, relay.ReadIsOn() ? "On" : "Off"), null, null);
        }
        catch (HalException e)
        {
            return new HwDevice("gpio-outlet", name, false, HwReadings.None, null, e.Message);
        }
    }

    private static async Task<HwDevice> ReadBmcAsync(string kind, string name, Func<IBmc> open, CancellationToken cancellationToken)
    {
        IBmc bmc;
        try
        {
            bmc = open();
        }
        catch (Exception e) when (e is BmcException or HalException)
        {
            return new HwDevice(kind, name, false, HwReadings.None, null, e.Message);
        }
        await using (bmc.ConfigureAwait(false))
        {
            string? state = null;
            double? power = null, limit = null;
            try
            {
                state = (await bmc.GetChassisStatusAsync(cancellationToken).ConfigureAwait(false)).PowerOn ? "On" : "Off";
            }
            catch (BmcException e)
            {
                return new HwDevice(kind, name, false, HwReadings.None, null, e.Message);
            }
            string? error = null;
            try
            {
                power = (await bmc.GetPowerReadingAsync(cancellationToken).ConfigureAwait(false)).CurrentWatts;
            }
            catch (BmcException e)
            {
                error = $"power reading: {e.Message}";
            }
            try
            {
                limit = (await bmc.GetPowerLimitAsync(cancellationToken).ConfigureAwait(false))?.LimitWatts;
            }
            catch (BmcException e)
            {
                error ??= $"power limit: {e.Message}";
            }
            return new HwDevice(kind, name, true, new HwReadings(power, limit, state), null, error);
        }
    }

    private static async Task<HwDevice> ReadRedfishOutletAsync(string server, RedfishOutletConfig o, Dictionary<string, RedfishPdu> pdus, LinuxRackOptions options, CancellationToken cancellationToken)
    {
        string name = OutletName(server, o);
        try
        {
            string address = o.Address.TrimEnd('/');
            if (!pdus.TryGetValue(address, out RedfishPdu? pdu))
            {
                pdu = options.RedfishPduFactory(o);
                pdus.Add(address, pdu);
            }
            await pdu.DiscoverAsync(RedfishPduAgent.Unguarded, cancellationToken).ConfigureAwait(false);
            RedfishOutlet outlet = pdu.Find(o.Outlet) ?? throw new BmcException(BmcErrorKind.InvalidArgument, $"the PDU has no outlet '{o.Outlet}'");
            RedfishOutletReading reading = await outlet.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new HwDevice("redfish-outlet", name, true, new HwReadings(reading.Watts, null, reading.IsOn ? "On" : "Off"),
                Invariant($"{reading.PowerState}, {reading.EnergyKWh} kWh"), null);
        }
        catch (BmcException e)
        {
            return new HwDevice("redfish-outlet", name, false, HwReadings.None, null, e.Message);
        }
    }

    private static long? Try(Func<long> read, out string? error)
    {
        try
        {
            error = null;
            return read();
        }
        catch (HalException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static long? Try(Func<int> read, out string? error) => Try(() => (long)read(), out error);

    private static string TryText(Func<string> read, out string? error)
    {
        try
        {
            error = null;
            return read();
        }
        catch (HalException e)
        {
            error = e.Message;
            return "?";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
