using System.Device.Gpio;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The real-hardware backend of <see cref="RackController"/> (<c>rack.hardware = "linux"</c>): the board's RAPL
/// packages, cpufreq policies, hwmon temperatures and fans found under a sysfs root, the servers' PDU outlets
/// on GPIO relays or Redfish PDUs and their BMCs over IPMI/DCMI or Redfish, all through hal/.
/// <para>
/// Servers and packages: when the board has as many top-level <c>intel-rapl:N</c> packages as configured
/// servers, server <c>i</c> is package <c>i</c>; otherwise servers with a <c>bmc</c> or <c>redfish</c> are remote machines without
/// a package and the others take the packages in order (their number must match). Caps go to the package's
/// constraint 0 (<c>long_term</c>, PL1) clamped into <c>1..constraint_0_max_power_uw</c>, to the BMC as a DCMI
/// power limit, and (<c>rack.cpufreq = "follow-cap"</c>) to the cpufreq policies of the package. Draw is the
/// BMC's DCMI reading while fresh, else the package's energy counter. Everything is written only when it
/// changes, so a steady step allocates nothing and makes no writes; IPMI and Redfish run on each BMC's and each
/// PDU's own loop (<see cref="BmcAgent"/>, <see cref="RedfishPduAgent"/>), never on the control loop.
/// </para>
/// <para>
/// Every actuator records what it found in an <see cref="ActuatorStateJournal"/> before its first change;
/// a state file still present at start means the last run crashed and is restored before anything else;
/// <see cref="Restore"/> puts everything back on an orderly stop. A <see cref="HalException"/> from any
/// read or write is counted and logged (once per distinct message) and never stops the loop.
/// </para>
/// </summary>
internal sealed partial class LinuxRack : IRackBackend
{
    private readonly IActuatorRestorer _restorer;
    private readonly ActuatorStateJournal _journal;
    private readonly LinuxServerHardware _hardware;
    private readonly RackSampler _sampler;
    private readonly string[] _names;
    private readonly double[] _capMin;
    private readonly double[] _capMax;
    private readonly bool[] _protected;
    private readonly IPowerCapZone?[] _packages;
    private readonly int[] _samplerIndex;
    private readonly long[] _lastEnergy;
    private readonly long[] _written;
    private readonly IFan[] _fans;
    private readonly Dictionary<string, GpioController> _chips = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GpioDriver> _drivers = new(StringComparer.Ordinal);
    private readonly IRelay?[] _relays;
    private readonly bool[] _relayOn;
    private readonly BmcAgent?[] _agents;
    private readonly PowerSwitchGuard?[] _chassisGuards;
    private readonly RedfishPduAgent[] _pduAgents = [];
    private readonly RedfishPduAgent?[] _pduOf;
    private readonly int[] _pduSlot;
    private readonly PowerSwitchGuard?[] _outletGuards;
    private readonly Logger? _log;
    private long _writeErrors;
    private long _relayToggles;
    private long _powerRefused;
    private long _restoreRefused;
    private bool _stopped;
    private string? _lastLogged;

    /// <summary>Recovers a crashed run's state, then discovers the hardware of <paramref name="config"/>.</summary>
    /// <exception cref="InvalidDataException">The RAPL packages do not match the servers, or a BMC's credentials cannot be read.</exception>
    /// <exception cref="HalException">A GPIO chip or line cannot be opened, or the state file is not valid.</exception>
    public LinuxRack(RackConfig config, Logger? log, LinuxRackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new LinuxRackOptions();
        _log = log;
        List<ServerConfig> slots = [];
        List<string> names = [];
        foreach (ServerConfig s in config.Servers)
        {
            for (int k = 0; k < s.Count; k++)
            {
                slots.Add(s);
                names.Add(s.Count == 1 ? s.Name : $"{s.Name}-{k}");
            }
        }
        int servers = slots.Count;
        _names = [.. names];
        _capMin = [.. slots.Select(s => s.MinCapWatts)];
        _capMax = [.. slots.Select(s => s.MaxCapWatts)];
        _protected = [.. slots.Select(s => s.Protected)];
        _relays = new IRelay?[servers];
        _relayOn = new bool[servers];
        _agents = new BmcAgent?[servers];
        _chassisGuards = new PowerSwitchGuard?[servers];
        _pduOf = new RedfishPduAgent?[servers];
        _pduSlot = new int[servers];
        _outletGuards = new PowerSwitchGuard?[servers];
        var bmcs = new IBmc?[servers];
        var pdus = new Dictionary<string, RedfishPdu>(StringComparer.OrdinalIgnoreCase);

        var root = new SysfsRoot(config.SysfsRoot);
        try
        {
            // Outlet chips and BMC clients first: a crashed run's relays and DCMI limits are restored through them.
            foreach (OutletConfig outlet in slots.Where(s => s.Outlet is { Redfish: null }).Select(s => s.Outlet!))
            {
                Chip(outlet.Chip, options);
            }
            OpenAddonActuators(config.Addons, options);
            var byTarget = new Dictionary<string, (IBmc, ChassisControl)>(StringComparer.Ordinal);
            for (int i = 0; i < servers; i++)
            {
                if (slots[i].Bmc is { } b)
                {
                    try
                    {
                        bmcs[i] = options.BmcFactory(b);
                    }
                    catch (BmcException e)
                    {
                        throw new InvalidDataException($"BMC {b.Host}:{b.Port} of {_names[i]}: {e.Message}", e);
                    }
                    byTarget[BmcAgent.TargetOf(b)] = (bmcs[i]!, BmcAgent.OffAction(b));
                }
                else if (slots[i].Redfish is { } r)
                {
                    try
                    {
                        bmcs[i] = options.RedfishBmcFactory(r);
                    }
                    catch (BmcException e)
                    {
                        throw new InvalidDataException($"Redfish BMC {r.Address} of {_names[i]}: {e.Message}", e);
                    }
                    byTarget[BmcLoopSettings.TargetOf(r)] = (bmcs[i]!, BmcLoopSettings.OffActionOf(r.PowerOff));
                }
                if (slots[i].Outlet?.Redfish is { } o && !pdus.ContainsKey(o.Address.TrimEnd('/')))
                {
                    try
                    {
                        pdus.Add(o.Address.TrimEnd('/'), options.RedfishPduFactory(o));
                    }
                    catch (BmcException e)
                    {
                        throw new InvalidDataException($"Redfish PDU {o.Address} of {_names[i]}: {e.Message}", e);
                    }
                }
            }

            _restorer = new CompositeRestorer(new SysfsRestorer(root), new GpioChipsRestorer(_chips), new BmcRestorer(byTarget), new RedfishOutletRestorer(pdus), new AddonRestorer(_expanders, _pwmChips));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.StateFile))!);
            _journal = ActuatorStateJournal.OpenAndRecover(config.StateFile, _restorer, out RestoreReport recovery);
            Recovery = recovery;
            if (recovery.Restored > 0 || !recovery.Complete)
            {
                log?.Warning($"previous run did not stop cleanly: restored {recovery.Restored} hardware settings from {config.StateFile}" +
                    (recovery.Complete ? "" : $", {recovery.Failures.Count} failed: {recovery.Failures[0].Error.Message}"));
            }
            LogRefused(recovery, config.StateFile);

            _hardware = LinuxServerHardware.Discover(root, Environment.MachineName, _journal);
            OpenAddonDevices(config.Addons, options);
        }
        catch
        {
            _hardware?.Dispose();
            DisposeOutletsAndBmcs(bmcs, pdus.Values);
            throw;
        }

        _sampler = new RackSampler([_hardware], _addonSensors, _addonMonitors);
        var packages = new List<int>();
        for (int i = 0; i < _sampler.Zones.Count; i++)
        {
            IPowerCapZone zone = _sampler.Zones[i];
            if (zone.Id.Count(c => c == ':') == 1 && zone.Constraints.Count > 0)
            {
                packages.Add(i);
            }
        }
        _samplerIndex = new int[servers];
        _packages = new IPowerCapZone?[servers];
        int local = slots.Count(s => !IsRemote(s));
        if (packages.Count == servers)
        {
            for (int i = 0; i < servers; i++)
            {
                _samplerIndex[i] = packages[i];
            }
        }
        else if (packages.Count == local)
        {
            for (int i = 0, next = 0; i < servers; i++)
            {
                _samplerIndex[i] = !IsRemote(slots[i]) ? packages[next++] : -1;
            }
        }
        else
        {
            _hardware.Dispose();
            DisposeOutletsAndBmcs(bmcs, pdus.Values);
            throw new InvalidDataException($"rack.servers lists {servers} servers ({servers - local} with a bmc or redfish) but {root.PowerCapClass} has {packages.Count} RAPL packages (intel-rapl:N); " +
                "list one server per package, plus servers with a bmc or redfish that are not this board");
        }
        for (int i = 0; i < servers; i++)
        {
            _packages[i] = _samplerIndex[i] >= 0 ? _sampler.Zones[_samplerIndex[i]] : null;
        }

        _lastEnergy = new long[servers];
        _written = new long[servers];
        _fans = [.. _hardware.Fans, .. _addonFans];
        foreach (IPowerCapZone? zone in _packages)
        {
            if (zone is not null)
            {
                Try(zone, static z => { if (!z.ReadEnabled()) { z.SetEnabled(true); } });
            }
        }

        try
        {
            for (int i = 0; i < servers; i++)
            {
                if (slots[i].Outlet is { Redfish: null } o)
                {
                    var relay = new Relay(_chips[o.Chip], o.Chip, o.Line, $"outlet of {_names[i]}",
                        new RelayOptions(o.ActiveLow, TimeSpan.FromSeconds(o.MinimumDwellSeconds), o.MaxTogglesPerHour), options.Time, _journal);
                    _relays[i] = relay;
                    _relayOn[i] = relay.ReadIsOn();
                }
            }

            if (config.Inputs.Tachometers.Length + config.Inputs.Alarms.Length > 0)
            {
                Inputs = new OperatorInputs(config.Inputs, chip => Chip(chip, options), options.Time, log);
            }
        }
        catch
        {
            Dispose();
            DisposeOutletsAndBmcs(bmcs, pdus.Values);
            throw;
        }

        _lastPower = new double[servers];
        _capFraction = new double[servers];
        Array.Fill(_capFraction, 1.0);
        InitializeCpuFreq(root, config.Cpufreq == "follow-cap");

        for (int i = 0; i < servers; i++)
        {
            if (bmcs[i] is { } bmc)
            {
                BmcLoopSettings settings = slots[i].Bmc is { } b ? BmcLoopSettings.Of(b) : BmcLoopSettings.Of(slots[i].Redfish!);
                _agents[i] = new BmcAgent(_names[i], bmc, settings, _journal, log);
                _chassisGuards[i] = new PowerSwitchGuard(settings.MinimumDwell, settings.MaxTogglesPerHour, options.Time);
                _agents[i]!.Start();
            }
        }
        _pduAgents = [.. pdus.Select(pdu => StartPduAgent(pdu.Key, pdu.Value, slots, options.Time))];

        log?.Notice($"linux hardware under {config.SysfsRoot}: {_packages.Count(p => p is not null)} RAPL packages, {_policies.Length} cpufreq policies" +
            $" ({(config.Cpufreq == "follow-cap" && _policies.Length > 0 ? "following the caps" : "left alone")}), {_hardware.Temperatures.Count} temperature sensors, {_fans.Length} fans, " +
            $"{_relays.Count(r => r is Relay)} GPIO outlets, {_relays.Count(r => r is ExpanderRelay)} I2C expander outlets, {_addonFans.Count} PWM fans, {_addonSensors.Count} I2C temperature sensors, {_addonMonitors.Count} power monitors, {_pduOf.Count(a => a is not null)} Redfish outlets on {_pduAgents.Length} PDUs, {_agents.Count(a => a is not null)} BMCs; state file {config.StateFile}");
    }

    /// <summary>The GPIO inputs of <c>rack.inputs</c> (null without any).</summary>
    public OperatorInputs? Inputs { get; }

    /// <summary>What was restored at start from a crashed run's state file.</summary>
    public RestoreReport Recovery { get; }

    // Entries the restorers refused as invalid have left the state file: each is counted and logged once.
    private void LogRefused(RestoreReport report, string stateFile)
    {
        foreach (RestoreFailure refused in report.Refused)
        {
            _restoreRefused++;
            _log?.Error($"state file {stateFile}: entry refused and removed: {refused.Error.Message}");
        }
    }

    /// <summary>Failed hardware reads and writes so far (sysfs, GPIO and BMC).</summary>
    public long Errors
    {
        get
        {
            long bmc = 0;
            foreach (BmcAgent? a in _agents)
            {
                bmc += a?.Errors ?? 0;
            }
            foreach (RedfishPduAgent p in _pduAgents)
            {
                bmc += p.Errors;
            }
            return _sampler.Failures + _writeErrors + bmc + (Inputs?.Errors ?? 0);
        }
    }

    /// <summary>The package zones in server order (null for a server without one).</summary>
    public IReadOnlyList<IPowerCapZone?> Packages => _packages;

    /// <summary>The BMC agents in server order (null for a server without a BMC).</summary>
    public IReadOnlyList<BmcAgent?> Bmcs => _agents;

    /// <summary>The Redfish PDU agents (one per PDU address).</summary>
    public IReadOnlyList<RedfishPduAgent> Pdus => _pduAgents;

    /// <summary>The actuator counters (allocation-free; a Redfish PDU counts as a BMC in the BMC error and reachability counters, its switches as relay toggles).</summary>
    public HardwareCounters Counters
    {
        get
        {
            var c = new HardwareCounters { RelayToggles = _relayToggles, PowerRefused = _powerRefused, CpufreqWrites = _cpufreqWrites, RestoreRefused = _restoreRefused };
            foreach (BmcAgent? a in _agents)
            {
                if (a is not null)
                {
                    c.BmcErrors += a.Errors;
                    c.DcmiLimitWrites += a.LimitWrites;
                    c.ChassisCommands += a.ChassisCommands;
                    c.BmcsUnreachable += a.Reachable ? 0 : 1;
                }
            }
            foreach (RedfishPduAgent p in _pduAgents)
            {
                c.BmcErrors += p.Errors;
                c.BmcsUnreachable += p.Reachable ? 0 : 1;
                c.RelayToggles += p.Switches;
            }
            return c;
        }
    }

    /// <summary>
    /// Samples every counter and sensor; writes each server's draw into <paramref name="powerWatts"/>: the BMC's
    /// reading while fresh, else its Redfish outlet's, else its I2C power monitor's (<c>rack.addons.power</c>), else the package's energy over <paramref name="wallSeconds"/> (unchanged when
    /// neither is available or no time passed). Returns the hottest temperature (0 without sensors).
    /// </summary>
    public double Sample(double wallSeconds, Span<double> powerWatts)
    {
        Inputs?.Sample();
        long before = _sampler.Failures;
        _sampler.Sample();
        if (_sampler.Failures != before)
        {
            Report(_sampler.LastError!);
        }

        for (int i = 0; i < _packages.Length; i++)
        {
            bool package = _samplerIndex[i] >= 0;
            long energy = package ? _sampler.EnergyMicrojoules[_samplerIndex[i]] : 0;
            if (_agents[i] is { } agent && agent.TryGetReading(out double watts))
            {
                powerWatts[i] = watts;
            }
            else if (_pduOf[i] is { } pdu && pdu.TryGetReading(_pduSlot[i], out double outletWatts))
            {
                powerWatts[i] = outletWatts;
            }
            else if (TryAddonPower(i, out double monitorWatts))
            {
                powerWatts[i] = monitorWatts;
            }
            else if (package && wallSeconds > 0)
            {
                powerWatts[i] = (energy - _lastEnergy[i]) / 1e6 / wallSeconds;
            }
            _lastEnergy[i] = energy;
        }

        int hottest = 0;
        foreach (int t in _sampler.TemperaturesMillidegrees)
        {
            hottest = Math.Max(hottest, t);
        }
        return hottest / 1000.0;
    }

    /// <summary>
    /// Programs server <paramref name="server"/>'s cap where it changed: its package's long-term limit (clamped into
    /// the zone's range), its BMC's DCMI limit (on the BMC's loop) and the cpufreq policies that follow it.
    /// </summary>
    public void SetCap(int server, double watts)
    {
        if (_stopped)
        {
            return;
        }
        _agents[server]?.SetDesiredCap(watts);
        double range = _capMax[server] - _capMin[server];
        _capFraction[server] = range > 0 ? Math.Clamp((watts - _capMin[server]) / range, 0, 1) : 1;
        FollowCap(server);

        if (_packages[server] is not { } zone)
        {
            return;
        }
        long max = zone.Constraints[0].MaxPowerMicrowatts ?? long.MaxValue;
        long microwatts = Math.Clamp((long)Math.Round(watts * 1e6), 1, max);
        if (microwatts == _written[server] || zone.IsLocked)
        {
            return;
        }

        try
        {
            zone.SetPowerLimitMicrowatts(0, microwatts);
            _written[server] = microwatts;
        }
        catch (HalException e)
        {
            _writeErrors++;
            Report(e);
        }
    }

    /// <summary>Raises fans under manual control that run below <paramref name="minDuty"/>; returns how many.</summary>
    public int EnforceMinimumDuty(int minDuty)
    {
        int raised = 0;
        foreach (IFan fan in _fans)
        {
            try
            {
                // In automatic mode the chip (or BIOS) drives the fan and ignores pwmN.
                if (fan.ReadMode() == FanControlMode.Manual && fan.ReadDuty() < minDuty)
                {
                    fan.SetDuty(minDuty);
                    raised++;
                }
            }
            catch (HalException e)
            {
                _writeErrors++;
                Report(e);
            }
        }
        return raised;
    }

    /// <summary>
    /// Stops the BMC loops, then puts back every setting found at start (last-first: cpufreq limits, RAPL limits,
    /// fan duties, outlets, DCMI limits, chassis power) and deletes the state file.
    /// </summary>
    public RestoreReport Restore()
    {
        _stopped = true;
        StopAgents();
        RestoreReport report = _journal.RestoreAll(_restorer);
        Array.Clear(_written);
        ForgetCpuFreq();
        LogRefused(report, _journal.Path);
        if (!report.Complete)
        {
            _log?.Error($"restored {report.Restored} hardware settings, {report.Failures.Count} failed: {report.Failures[0].Error.Message}");
        }
        else
        {
            _log?.Notice($"restored {report.Restored} hardware settings");
        }
        return report;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        StopAgents();
        foreach (BmcAgent? agent in _agents)
        {
            agent?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        foreach (RedfishPduAgent pdu in _pduAgents)
        {
            pdu.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        foreach (IRelay? relay in _relays)
        {
            (relay as IDisposable)?.Dispose();
        }
        DisposeAddons();
        foreach (GpioController chip in _chips.Values)
        {
            chip.Dispose();
        }
        _chips.Clear();
        _drivers.Clear();
        _hardware?.Dispose();
    }

    // The controller and driver of a chip, opened on first use and shared by its relays and inputs.
    private (GpioController Controller, GpioDriver Driver) Chip(string path, LinuxRackOptions options)
    {
        if (!_chips.TryGetValue(path, out GpioController? controller))
        {
            GpioDriver driver = options.GpioDriverFactory(path);
            controller = new GpioController(driver);
            _chips.Add(path, controller);
            _drivers.Add(path, driver);
        }

        return (controller, _drivers[path]);
    }

    private void Try(IPowerCapZone zone, Action<IPowerCapZone> action)
    {
        try
        {
            action(zone);
        }
        catch (HalException e)
        {
            _writeErrors++;
            Report(e);
        }
    }

    // Logs each distinct failure once in a row, so a permanently broken file does not flood the log.
    private void Report(HalException e)
    {
        if (!string.Equals(e.Message, _lastLogged, StringComparison.Ordinal))
        {
            _lastLogged = e.Message;
            _log?.Warning($"hardware {e.Kind}: {e.Message} (counted; the loop carries on)");
        }
    }
}
