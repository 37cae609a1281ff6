using System.Device.Gpio;
using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>
/// Runs <c>edgegov hw</c>: the listing (<see cref="HwInventory"/>, as a table or JSON) or one change. A change is a dry run
/// without <c>--yes</c> (what is there and what would be done are printed, nothing is sent); with it the original is
/// read, the change made and read back, and the original put back and read back unless <c>--keep</c>. A protected server
/// is refused without <c>--force</c>. Exit codes: 0 ok; 1 a device failed, did not read back what was set, or (listing)
/// a configured device is not present; 2 a bad command line or configuration (also: unknown server, a server without
/// the device, a protected server without <c>--force</c>).
/// </summary>
internal static class HwRunner
{
    /// <summary>Runs <paramref name="command"/>; returns the exit code.</summary>
    public static int Run(HwCommand command, TextWriter stdout, TextWriter stderr, LinuxRackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ConfigLoadResult loaded = ConfigLoader.Load(command.ConfigPath);
        if (!loaded.IsValid)
        {
            stderr.WriteLine($"edgegov: configuration '{command.ConfigPath}' is invalid ({loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")}):");
            foreach (ConfigError error in loaded.Errors)
            {
                stderr.WriteLine($"  {error}");
            }
            return Program.ExitUsage;
        }
        options ??= new LinuxRackOptions();
        FirmwareConfig config = loaded.Config!;
        return command.Verb == HwVerb.List
            ? List(command, config, options, stdout).GetAwaiter().GetResult()
            : Change(command, config, options, stdout, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> List(HwCommand command, FirmwareConfig config, LinuxRackOptions options, TextWriter stdout)
    {
        List<HwDevice> devices = await HwInventory.ReadAsync(config, options, CancellationToken.None).ConfigureAwait(false);
        if (command.Json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new HwListing(command.ConfigPath, devices), HwJsonContext.Default.HwListing));
        }
        else
        {
            stdout.WriteLine($"{"KIND",-15} {"NAME",-48} {"PRESENT",-7} {"POWER W",8} {"LIMIT W",8} {"STATE",-5}  DETAIL / ERROR");
            foreach (HwDevice d in devices)
            {
                string power = d.Readings.PowerWatts is { } p ? p.ToString("F1", CultureInfo.InvariantCulture) : "-";
                string limit = d.Readings.LimitWatts is { } l ? l.ToString("F0", CultureInfo.InvariantCulture) : "-";
                string tail = string.Join("; ", new[] { d.Detail, d.Error is null ? null : "error: " + d.Error }.Where(t => t is not null));
                stdout.WriteLine($"{d.Kind,-15} {d.Name,-48} {(d.Present ? "yes" : "NO"),-7} {power,8} {limit,8} {d.Readings.PowerState ?? "-",-5}  {tail}".TrimEnd());
            }
            int missing = devices.Count(d => !d.Present);
            stdout.WriteLine(missing == 0 ? $"{devices.Count} devices, all present" : $"{devices.Count} devices, {missing} not present");
        }
        return devices.TrueForAll(d => d.Present) ? Program.ExitOk : Program.ExitFailure;
    }

    private static async Task<int> Change(HwCommand command, FirmwareConfig config, LinuxRackOptions options, TextWriter stdout, TextWriter stderr)
    {
        ServerConfig? server = Array.Find(config.Rack.Servers, s => s.Name == command.Server);
        if (server is null)
        {
            stderr.WriteLine($"edgegov: hw: no server '{command.Server}' in rack.servers ({string.Join(", ", config.Rack.Servers.Select(s => s.Name))})");
            return Program.ExitUsage;
        }
        if (server.Protected && !command.Force)
        {
            stderr.WriteLine($"edgegov: hw: {server.Name} is protected (rack.servers[].protected): add --force to change it");
            return Program.ExitUsage;
        }
        try
        {
            if (command.Verb == HwVerb.Outlet)
            {
                return server.Outlet switch
                {
                    { Redfish: { } o } => await RedfishOutletAsync(command, server.Name, o, options, stdout).ConfigureAwait(false),
                    { } gpio => GpioOutlet(command, server.Name, gpio, options, stdout),
                    null => NoDevice(stderr, $"{server.Name} has no outlet (rack.servers[].outlet)"),
                };
            }
            IBmc bmc;
            string where;
            ChassisControl off;
            if (server.Bmc is { } b)
            {
                (bmc, where, off) = (options.BmcFactory(b), $"IPMI BMC {b.Host}:{b.Port}", BmcAgent.OffAction(b));
            }
            else if (server.Redfish is { } r)
            {
                (bmc, where, off) = (options.RedfishBmcFactory(r), $"Redfish BMC {r.Address}", BmcLoopSettings.OffActionOf(r.PowerOff));
            }
            else
            {
                return NoDevice(stderr, $"{server.Name} has no BMC (rack.servers[].bmc or .redfish)");
            }
            await using (bmc.ConfigureAwait(false))
            {
                var change = new HwBmcChange(bmc, $"{server.Name} ({where})", stdout);
                return command.Verb switch
                {
                    HwVerb.SetCap => await change.SetCapAsync(command.Watts, server.Bmc?.CorrectionTimeMs ?? server.Redfish!.CorrectionTimeMs,
                        BmcLoopSettings.ExceptionActionOf(server.Bmc?.ExceptionAction ?? server.Redfish!.ExceptionAction), command.Yes, command.Keep).ConfigureAwait(false),
                    HwVerb.ClearCap => await change.ClearCapAsync(command.Yes, command.Keep).ConfigureAwait(false),
                    _ => await change.PowerAsync(command.On, off, command.Yes, command.Keep).ConfigureAwait(false),
                };
            }
        }
        catch (Exception e) when (e is BmcException or HalException)
        {
            stderr.WriteLine($"edgegov: hw: {server.Name}: {e.Message}");
            return Program.ExitFailure;
        }
    }

    private static int NoDevice(TextWriter stderr, string why)
    {
        stderr.WriteLine($"edgegov: hw: {why}");
        return Program.ExitUsage;
    }

    private static int GpioOutlet(HwCommand command, string server, OutletConfig o, LinuxRackOptions options, TextWriter stdout)
    {
        string name = $"outlet of {server} ({o.Chip} line {o.Line})";
        using var controller = new GpioController(options.GpioDriverFactory(o.Chip));
        // The operator's explicit command: no dwell here (the governor's dwell applies when it runs).
        using var relay = new Relay(controller, o.Chip, o.Line, name, new RelayOptions(o.ActiveLow, TimeSpan.Zero, 1000), options.Time);
        bool was = relay.ReadIsOn();
        if (!command.Yes)
        {
            stdout.WriteLine($"{name}: {OnOff(was)}; dry run: would switch it {OnOff(command.On)}{(command.Keep ? "" : $" and back {OnOff(was)}")} (add --yes to do it)");
            return Program.ExitOk;
        }
        relay.Switch(command.On);
        bool now = relay.ReadIsOn();
        stdout.WriteLine($"{name}: was {OnOff(was)}, switched {OnOff(command.On)}, reads back {OnOff(now)}");
        if (!command.Keep && now != was)
        {
            relay.Switch(was);
            stdout.WriteLine($"{name}: restored, reads back {OnOff(relay.ReadIsOn())}");
        }
        return now == command.On ? Program.ExitOk : Program.ExitFailure;
    }

    private static async Task<int> RedfishOutletAsync(HwCommand command, string server, RedfishOutletConfig o, LinuxRackOptions options, TextWriter stdout)
    {
        string name = $"outlet of {HwInventory.OutletName(server, o)}";
        await using RedfishPdu pdu = options.RedfishPduFactory(o);
        await pdu.DiscoverAsync(RedfishPduAgent.Unguarded).ConfigureAwait(false);
        RedfishOutlet outlet = pdu.Find(o.Outlet) ?? throw new BmcException(BmcErrorKind.InvalidArgument, $"PDU {o.Address} has no outlet '{o.Outlet}'");
        bool was = (await outlet.ReadAsync().ConfigureAwait(false)).IsOn;
        if (!command.Yes)
        {
            stdout.WriteLine($"{name}: {OnOff(was)}; dry run: would switch it {OnOff(command.On)}{(command.Keep ? "" : $" and back {OnOff(was)}")} (add --yes to do it)");
            return Program.ExitOk;
        }
        await outlet.SwitchAsync(command.On).ConfigureAwait(false);
        RedfishOutletReading now = await outlet.ReadAsync().ConfigureAwait(false);
        stdout.WriteLine($"{name}: was {OnOff(was)}, switched {OnOff(command.On)}, reads back {now.PowerState} ({now.Watts} W)");
        if (!command.Keep && now.IsOn != was)
        {
            await outlet.SwitchAsync(was).ConfigureAwait(false);
            stdout.WriteLine($"{name}: restored, reads back {(await outlet.ReadAsync().ConfigureAwait(false)).PowerState}");
        }
        return now.IsOn == command.On ? Program.ExitOk : Program.ExitFailure;
    }

    /// <summary><c>on</c> or <c>off</c>.</summary>
    public static string OnOff(bool on) => on ? "on" : "off";
}
