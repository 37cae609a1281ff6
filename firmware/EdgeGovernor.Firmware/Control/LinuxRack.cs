using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The real-hardware backend of <see cref="RackController"/> (<c>rack.hardware = "linux"</c>): the RAPL
/// packages, hwmon temperatures and fans found under a sysfs root through hal/. Server <c>i</c> of the
/// configuration is RAPL package <c>i</c> (top-level <c>intel-rapl:N</c> zones in id order). Caps go to
/// the package's constraint 0 (<c>long_term</c>, PL1) clamped into <c>1..constraint_0_max_power_uw</c> and
/// are written only when they change, so a steady step allocates nothing and makes no writes.
/// <para>
/// Every actuator records what it found in an <see cref="ActuatorStateJournal"/> before its first change;
/// a state file still present at start means the last run crashed and is restored before anything else;
/// <see cref="Restore"/> puts everything back on an orderly stop. A <see cref="HalException"/> from any
/// read or write is counted and logged (once per distinct message) and never stops the loop.
/// </para>
/// </summary>
internal sealed class LinuxRack : IDisposable
{
    private readonly SysfsRestorer _restorer;
    private readonly ActuatorStateJournal _journal;
    private readonly LinuxServerHardware _hardware;
    private readonly RackSampler _sampler;
    private readonly IPowerCapZone[] _packages;
    private readonly int[] _samplerIndex;
    private readonly long[] _lastEnergy;
    private readonly long[] _written;
    private readonly IFan[] _fans;
    private readonly Logger? _log;
    private long _writeErrors;
    private string? _lastLogged;

    /// <summary>Recovers a crashed run's state, then discovers the hardware under <paramref name="sysfsRoot"/>.</summary>
    /// <exception cref="InvalidDataException">The number of RAPL packages differs from <paramref name="servers"/>.</exception>
    public LinuxRack(string sysfsRoot, string stateFile, int servers, Logger? log)
    {
        _log = log;
        var root = new SysfsRoot(sysfsRoot);
        _restorer = new SysfsRestorer(root);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateFile))!);
        _journal = ActuatorStateJournal.OpenAndRecover(stateFile, _restorer, out RestoreReport recovery);
        Recovery = recovery;
        if (recovery.Restored > 0 || !recovery.Complete)
        {
            log?.Warning($"previous run did not stop cleanly: restored {recovery.Restored} hardware settings from {stateFile}" +
                (recovery.Complete ? "" : $", {recovery.Failures.Count} failed: {recovery.Failures[0].Error.Message}"));
        }

        _hardware = LinuxServerHardware.Discover(root, Environment.MachineName, _journal);
        _sampler = new RackSampler([_hardware]);
        var packages = new List<int>();
        for (int i = 0; i < _sampler.Zones.Count; i++)
        {
            IPowerCapZone zone = _sampler.Zones[i];
            if (zone.Id.Count(c => c == ':') == 1 && zone.Constraints.Count > 0)
            {
                packages.Add(i);
            }
        }
        if (packages.Count != servers)
        {
            _hardware.Dispose();
            throw new InvalidDataException($"rack.servers lists {servers} servers but {root.PowerCapClass} has {packages.Count} RAPL packages (intel-rapl:N); list one server per package");
        }

        _samplerIndex = [.. packages];
        _packages = [.. packages.Select(i => _sampler.Zones[i])];
        _lastEnergy = new long[servers];
        _written = new long[servers];
        _fans = [.. _hardware.Fans];
        log?.Notice($"linux hardware under {sysfsRoot}: {_packages.Length} RAPL packages, {_hardware.Temperatures.Count} temperature sensors, {_fans.Length} fans; state file {stateFile}");
        for (int i = 0; i < _packages.Length; i++)
        {
            Try(_packages[i], static z => { if (!z.ReadEnabled()) { z.SetEnabled(true); } });
        }
    }

    /// <summary>What was restored at start from a crashed run's state file.</summary>
    public RestoreReport Recovery { get; }

    /// <summary>Failed hardware reads and writes so far.</summary>
    public long Errors => _sampler.Failures + _writeErrors;

    /// <summary>The package zones, in server order.</summary>
    public IReadOnlyList<IPowerCapZone> Packages => _packages;

    /// <summary>
    /// Samples every counter and sensor; writes each package's draw over <paramref name="wallSeconds"/> into
    /// <paramref name="powerWatts"/> (unchanged when no time passed) and returns the hottest temperature
    /// (0 without sensors).
    /// </summary>
    public double Sample(double wallSeconds, Span<double> powerWatts)
    {
        long before = _sampler.Failures;
        _sampler.Sample();
        if (_sampler.Failures != before)
        {
            Report(_sampler.LastError!);
        }

        for (int i = 0; i < _packages.Length; i++)
        {
            long energy = _sampler.EnergyMicrojoules[_samplerIndex[i]];
            if (wallSeconds > 0)
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

    /// <summary>Programs package <paramref name="server"/>'s long-term limit (clamped into the zone's range) if it changed.</summary>
    public void SetCap(int server, double watts)
    {
        IPowerCapZone zone = _packages[server];
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

    /// <summary>Puts back every setting found at start (last-first) and deletes the state file.</summary>
    public RestoreReport Restore()
    {
        RestoreReport report = _journal.RestoreAll(_restorer);
        Array.Clear(_written);
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
    public void Dispose() => _hardware.Dispose();

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
