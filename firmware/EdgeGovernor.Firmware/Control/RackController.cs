using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Firmware.Control;

/// <summary>What one control step measured and decided (plain numbers, copied for /status and /metrics).</summary>
public struct RackReading
{
    /// <summary>Measured rack draw, watts.</summary>
    public double PowerWatts;

    /// <summary>Sum of programmed caps, watts.</summary>
    public double CapWatts;

    /// <summary>Hottest CPU, degrees Celsius.</summary>
    public double MaxTemperatureC;

    /// <summary>Servers powered on.</summary>
    public int ServersOn;

    /// <summary>Rule set of the last decision.</summary>
    public PolicyMode Mode;

    /// <summary>Envelope interventions so far (budget, thermal, fans).</summary>
    public long EnvelopeActions;

    /// <summary>Cumulative energy, kWh (market time).</summary>
    public double Kwh;

    /// <summary>Cumulative energy cost, EUR.</summary>
    public double Eur;

    /// <summary>Cumulative emissions, kg CO2.</summary>
    public double KgCo2;

    /// <summary>Cumulative value of the work done, EUR.</summary>
    public double WorkValueEur;

    /// <summary>Failed hardware reads and writes so far (counted, never fatal; 0 on the simulated rack).</summary>
    public long HardwareErrors;

    /// <summary>Actuator counters of the linux backend (BMCs, outlets, cpufreq; zero on the simulated rack).</summary>
    public HardwareCounters Hardware;

    /// <summary>Server-hours (market time) servers spent switched off by the governor.</summary>
    public double OffServerHours;

    /// <summary>Power-offs executed.</summary>
    public long PowerOffs;

    /// <summary>Power-ons (boots) executed.</summary>
    public long PowerOns;

    /// <summary>Units of deferrable work done (counted against queued jobs only).</summary>
    public double DeferredUnitsDone;

    /// <summary>Units of deferrable work released so far.</summary>
    public double DeferredUnitsReleased;

    /// <summary>Deferrable jobs finished by their deadline.</summary>
    public long DeadlinesMet;

    /// <summary>Deferrable jobs with work left at their deadline.</summary>
    public long DeadlinesMissed;

    /// <summary>Highest price applied so far (ct/kWh; NaN before the first).</summary>
    public double PeakPriceCt;

    /// <summary>Mean cap of the running interactive servers while <see cref="PeakPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtPeakWatts;

    /// <summary>Lowest price applied so far (ct/kWh; NaN before the first).</summary>
    public double CheapestPriceCt;

    /// <summary>Mean cap of the running interactive servers while <see cref="CheapestPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtCheapestWatts;
}

/// <summary>
/// The control loop of one rack: price in force (or the stale signal), the day-ahead prices the node holds,
/// the servers' power states and the queued deferrable jobs -> <see cref="Governor"/> (firmware/EdgeGovernor.Policy)
/// -> power caps on the rack's RAPL zones and power-off/power-on of unprotected servers, with a safety envelope
/// measured on the hardware that no price overrides: when the measured draw exceeds the PDU budget every cap is
/// scaled down; a server above the temperature limit goes to its minimum cap; fans never run below the configured
/// minimum duty. It runs with or without a price and with or without a cluster. Allocation-free per step (buffers
/// sized at construction; only the rare power-cycle events log).
/// <para>
/// Two backends: the simulated rack of hal/ (<c>rack.hardware = "simulated"</c>, the embedded default; physics run
/// in wall time, power cycling through each server's BMC chassis control, boot time = the longest configured
/// <c>bootSeconds</c> / acceleration) and the Linux sysfs layer of hal/ (<c>"linux"</c>, <see cref="LinuxRack"/>:
/// one configured server per RAPL package, switched through <see cref="LinuxRack.SetServerPower"/> where
/// <see cref="LinuxRack.CanSwitch"/> says it can be). A server the backend cannot switch is protected whatever the
/// configuration says (logged once).
/// </para>
/// <para>
/// Power states follow the policy's hour model: a power-off decided in hour h is executed at once and the server
/// counts as down from hour h+1; a power-on decided in hour h boots the server at the end of hour h (boot time plus
/// two control periods before the hour ends), so it serves from hour h+1. Deferrable classes get one job a day per
/// server (released at <c>releaseHourOfDay</c>, due <c>deadlineHours</c> later); the work the server does while the
/// governor runs its slot is counted against it. Energy, cost and emissions are booked in market time (wall time x
/// the feed's acceleration) so that an accelerated demo day adds up to a day.
/// </para>
/// </summary>
public sealed class RackController : IDisposable
{
    /// <summary>Grid emission factor used for CO2 (kg per kWh), the architecture's default.</summary>
    public const double KgCo2PerKwh = 0.429;

    /// <summary>Longest day-ahead look the controller passes to the governor (h).</summary>
    public const int MaxDayAheadHours = Governor.MaxHorizon;

    private readonly SimulatedRack? _rack;
    private readonly LinuxRack? _linux;
    private readonly Logger? _log;
    private readonly double[] _power;
    private readonly Governor _governor;
    private readonly RackSpec _spec;
    private readonly RackConfig _config;
    private readonly double[] _capMin;
    private readonly double[] _capMax;
    private readonly double[] _bootSeconds;
    private readonly string[] _names;
    private readonly ServerState[] _states;
    private readonly ServerSetpoint[] _setpoints;
    private readonly DeferrableJob[] _jobs;
    private readonly double[] _dayAhead = new double[MaxDayAheadHours];
    private readonly double[] _demand;
    private readonly double[] _asked;
    private readonly bool[] _up;
    private readonly bool[] _physicallyOn;
    private readonly long[] _since;
    private readonly long[] _cycleDay;
    private readonly int[] _cycles;
    private readonly long[] _switchHour;
    private readonly bool[] _switchOn;
    private readonly bool[] _bootIssued;
    private readonly double[] _jobUnits;
    private readonly long[] _jobDeadline;
    private readonly double _demandPhase;
    private RackReading _reading;
    private double _lastPriceCt;
    private long _lastHour = long.MinValue;
    private bool _switchErrorLogged;

    /// <summary>Builds the rack backend and the governor from the configuration.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="seed">Per-rack seed of the simulated demand shape.</param>
    /// <param name="log">Where hardware errors, restores and power cycles are logged.</param>
    /// <exception cref="HalException">The linux backend cannot open the hardware or its state file.</exception>
    /// <exception cref="InvalidDataException">The linux backend found a different number of RAPL packages than servers.</exception>
    /// <exception cref="ArgumentException">The policy rejects the rack (the budget cannot hold every server at its floor).</exception>
    public RackController(FirmwareConfig config, ulong seed, Logger? log = null)
    {
        _config = config.Rack;
        _log = log;
        int count = 0;
        double longestBoot = 0;
        foreach (ServerConfig s in _config.Servers)
        {
            count += s.Count;
            longestBoot = Math.Max(longestBoot, s.Protected ? 0 : s.BootSeconds);
        }
        var halCurves = new List<SpecPowerCurve>(count);
        _capMin = new double[count];
        _capMax = new double[count];
        _bootSeconds = new double[count];
        _names = new string[count];
        int index = 0;
        foreach (ServerConfig s in _config.Servers)
        {
            double[] watts = GenericCurve(s.MaxCapWatts);
            for (int k = 0; k < s.Count; k++, index++)
            {
                halCurves.Add(new SpecPowerCurve(s.Model, "", watts));
                _capMin[index] = s.MinCapWatts;
                _capMax[index] = s.MaxCapWatts;
                _bootSeconds[index] = s.BootSeconds;
                _names[index] = $"{s.Name}-{k}";
            }
        }

        _states = new ServerState[count];
        _setpoints = new ServerSetpoint[count];
        _jobs = new DeferrableJob[count];
        _power = new double[count];
        _demand = new double[count];
        _asked = new double[count];
        _up = new bool[count];
        _physicallyOn = new bool[count];
        _since = new long[count];
        _cycleDay = new long[count];
        _cycles = new int[count];
        _switchHour = new long[count];
        _switchOn = new bool[count];
        _bootIssued = new bool[count];
        _jobUnits = new double[count];
        _jobDeadline = new long[count];
        Array.Fill(_up, true);
        Array.Fill(_physicallyOn, true);
        Array.Fill(_switchHour, -1);
        _reading.PeakPriceCt = double.NaN;
        _reading.CheapestPriceCt = double.NaN;
        _demandPhase = (seed % 1000) / 1000.0;

        if (_config.Hardware == "linux")
        {
            _linux = new LinuxRack(_config, log);
            for (int i = 0; i < count; i++)
            {
                _up[i] = _physicallyOn[i] = _linux.IsServerOn(i);
            }
        }
        else
        {
            // Boot and shutdown are given in market time; the simulated rack runs in wall time.
            double acceleration = Math.Max(1, config.PriceFeed.Acceleration);
            var model = ServerModel.Default with
            {
                BootTime = TimeSpan.FromSeconds(Math.Max(longestBoot, 1) / acceleration),
                ShutdownTime = TimeSpan.FromSeconds(30 / acceleration),
            };
            _rack = new SimulatedRack(halCurves, new SimulatedRackOptions(ServerCount: count, InletCelsius: _config.InletTemperatureC, StepMilliseconds: 250, Model: model), new ManualClock());
            for (int i = 0; i < count; i++)
            {
                SimulatedServer server = _rack.SimulatedServers[i];
                server.PackageZone.SetEnabled(true);
                server.PackageZone.SetPowerLimitMicrowatts(0, (long)(_capMax[i] * 1e6));
            }
        }

        _spec = BuildSpec(config, _linux, log);
        double safeCap = 0;
        for (int i = 0; i < count; i++)
        {
            safeCap = Math.Max(safeCap, _capMin[i] + (config.SafePolicy.CapFraction * (_capMax[i] - _capMin[i])));
        }
        _governor = new Governor(_spec, new GovernorOptions
        {
            SafePolicy = config.SafePolicy.Mode == "fallback-price" ? Policy.SafePolicy.FallbackPrice : Policy.SafePolicy.FixedCap,
            SafeCapWatts = safeCap,
            FallbackPriceCentsPerKwh = config.SafePolicy.FallbackPriceCtPerKwh,
            // At most one plan solve per control period: the daily re-plan is spread over the
            // following periods, so no single decision exceeds ~30 us (BENCHMARKS.md, Policy).
            MaxPlanSolvesPerCall = 1,
        });
    }

    /// <summary>Servers in the rack.</summary>
    public int ServerCount => _states.Length;

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts => _config.BudgetWatts;

    /// <summary>The rack model the governor runs (servers as the policy sees them: protection, boot, classes).</summary>
    public RackSpec Spec => _spec;

    /// <summary>The latest reading.</summary>
    public ref readonly RackReading Reading => ref _reading;

    /// <summary>Whether server <paramref name="server"/> counts as up for the policy this hour.</summary>
    public bool IsUp(int server) => _up[server];

    /// <summary>Whether server <paramref name="server"/> is powered (booting or running) as the controller last commanded it.</summary>
    public bool IsPowered(int server) => _physicallyOn[server];

    /// <summary>Units of deferrable work left in server <paramref name="server"/>'s current job (0: none queued).</summary>
    public double JobUnitsLeft(int server) => _jobUnits[server];

    /// <summary>The setpoint of the last decision for server <paramref name="server"/>.</summary>
    public ServerSetpoint Setpoint(int server) => _setpoints[server];

    /// <summary>The simulated rack (null for the linux backend), for tests and diagnostics.</summary>
    public SimulatedRack? Simulated => _rack;

    /// <summary>
    /// One control step without day-ahead prices beyond the one in force (see the overload).
    /// </summary>
    public void Step(long marketHour, double hourOfDay, double priceCtPerKwh, double wallSeconds, double marketSeconds) =>
        Step(marketHour, hourOfDay, priceCtPerKwh, [], wallSeconds, marketSeconds);

    /// <summary>
    /// One control step: advance the hardware by <paramref name="wallSeconds"/>, book energy and work for
    /// <paramref name="marketSeconds"/> at the price in force, decide, then program caps and power states.
    /// </summary>
    /// <param name="marketHour">Absolute hour of market time (hour of day = value % 24).</param>
    /// <param name="hourOfDay">Fractional hour of day of market time (demand shape, boot timing).</param>
    /// <param name="priceCtPerKwh">Price in force, ct/kWh; NaN when stale or missing.</param>
    /// <param name="dayAhead">Prices the node holds for this and the next hours (ct/kWh, [0] = this hour, NaN = unknown).</param>
    /// <param name="wallSeconds">Wall time since the previous step.</param>
    /// <param name="marketSeconds">Market time since the previous step.</param>
    public void Step(long marketHour, double hourOfDay, double priceCtPerKwh, ReadOnlySpan<double> dayAhead, double wallSeconds, double marketSeconds)
    {
        bool stale = double.IsNaN(priceCtPerKwh);
        if (!stale)
        {
            _lastPriceCt = priceCtPerKwh;
        }

        // Measure the period that just passed (setpoints of the previous step, credited before its hour closes).
        double hours = Math.Max(0, marketSeconds) / 3600.0;
        double power, hottest, work;
        int on;
        if (_linux is not null)
        {
            (power, hottest, work, on) = MeasureLinux(_linux, wallSeconds, hours);
        }
        else
        {
            (power, hottest, work, on) = MeasureSimulated(_rack!, wallSeconds, hours);
        }

        double kwh = power * hours / 1000.0;
        _reading.Kwh += kwh;
        _reading.Eur += kwh * _lastPriceCt / 100.0;
        _reading.KgCo2 += kwh * KgCo2PerKwh;
        _reading.WorkValueEur += work;
        for (int i = 0; i < _states.Length; i++)
        {
            if (!_physicallyOn[i])
            {
                _reading.OffServerHours += hours;
            }
        }

        // Hour boundaries, then decide.
        AdvanceHours(marketHour);
        int jobs = FillInputs(hourOfDay);
        _dayAhead.AsSpan().Fill(double.NaN);
        dayAhead[..Math.Min(dayAhead.Length, _dayAhead.Length)].CopyTo(_dayAhead);
        _dayAhead[0] = stale ? double.NaN : priceCtPerKwh;
        // "Published so far": the governor re-plans deferrable work when this reaches further than before.
        int known = _dayAhead.Length;
        while (known > 1 && double.IsNaN(_dayAhead[known - 1]))
        {
            known--;
        }
        var input = new PolicyInput
        {
            Hour = marketHour,
            PriceCentsPerKwh = stale ? 0 : priceCtPerKwh,
            PriceStale = stale,
            DayAhead = _dayAhead.AsSpan(0, known),
            Servers = _states,
            Jobs = _jobs.AsSpan(0, jobs),
        };
        RackDecision decision = _governor.Decide(input, _setpoints);
        _reading.Mode = decision.Mode;

        // Power states, then the envelope on measured values, then caps.
        SwitchServers(marketHour, hourOfDay, marketSeconds);
        double scale = power > _config.BudgetWatts ? _config.BudgetWatts / power : 1.0;
        if (scale < 1.0)
        {
            _reading.EnvelopeActions++;
        }
        double caps = 0, interactiveCaps = 0;
        int interactive = 0;
        int minDuty = (int)Math.Ceiling(_config.MinFanDuty * FanValidation.MaxDuty);
        for (int i = 0; i < _states.Length; i++)
        {
            SimulatedServer? s = _rack?.SimulatedServers[i];
            bool serving = _up[i] && _physicallyOn[i] && _switchHour[i] != marketHour;
            double cap = serving && _setpoints[i].CapWatts > 0 ? _setpoints[i].CapWatts : _capMin[i];
            cap = Math.Clamp(cap * scale, _capMin[i], _capMax[i]);
            // The linux backend has no per-package sensor map: the hottest sensor of the board counts for all.
            double temperature = s is null ? hottest : s.CpuSensor.ReadMillidegreesCelsius() / 1000.0;
            if (temperature > _config.MaxTemperatureC)
            {
                cap = _capMin[i];
                _reading.EnvelopeActions++;
            }
            caps += cap;
            if (serving && !_spec.Economics(i).Class.Deferrable)
            {
                interactiveCaps += cap;
                interactive++;
            }
            if (s is null)
            {
                _linux!.SetCap(i, cap);
                continue;
            }
            s.PackageZone.SetPowerLimitMicrowatts(0, (long)(cap * 1e6));
            _asked[i] = !serving ? 0 : _setpoints[i].RunDeferrable ? 1 : _spec.Economics(i).Class.Deferrable ? 0 : _demand[i];
            s.Demand = LoadFor(i, _asked[i]);
            foreach (IFan fan in s.Fans)
            {
                if (fan.ReadDuty() < minDuty)
                {
                    fan.SetDuty(minDuty);
                    _reading.EnvelopeActions++;
                }
            }
        }
        if (_linux is not null)
        {
            _reading.EnvelopeActions += _linux.EnforceMinimumDuty(minDuty);
            _reading.HardwareErrors = _linux.Errors;
            _reading.Hardware = _linux.Counters;
        }

        if (!stale && interactive > 0)
        {
            double mean = interactiveCaps / interactive;
            if (!(priceCtPerKwh < _reading.PeakPriceCt))
            {
                _reading.PeakPriceCt = priceCtPerKwh;
                _reading.InteractiveCapAtPeakWatts = mean;
            }
            if (!(priceCtPerKwh > _reading.CheapestPriceCt))
            {
                _reading.CheapestPriceCt = priceCtPerKwh;
                _reading.InteractiveCapAtCheapestWatts = mean;
            }
        }

        _reading.PowerWatts = power;
        _reading.CapWatts = caps;
        _reading.MaxTemperatureC = hottest;
        _reading.ServersOn = on;
    }

    /// <summary>
    /// Puts the hardware back as found at start before exit: on linux every journalled setting (limits,
    /// enabled flags, fan duties) and the state file is deleted; on the simulated rack every cap goes to the
    /// server's maximum.
    /// </summary>
    public void Restore()
    {
        if (_linux is not null)
        {
            _linux.Restore();
            return;
        }
        for (int i = 0; i < _states.Length; i++)
        {
            _rack!.SimulatedServers[i].PackageZone.SetPowerLimitMicrowatts(0, (long)(_capMax[i] * 1e6));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _rack?.Dispose();
        _linux?.Dispose();
    }

    // The policy's rack: one ServerSpec per configured group (identical servers share plans), protected unless the
    // configuration allows power cycling and the backend can switch every server of the group.
    private RackSpec BuildSpec(FirmwareConfig config, LinuxRack? linux, Logger? log)
    {
        JobClass[] classes = config.Jobs.Length == 0
            ? [JobClass.Interactive("default", DefaultValuePerUnitEur, 0.7)]
            : [.. config.Jobs.Select(ToJobClass)];
        double[] shares = config.Jobs.Length == 0 ? [1.0] : [.. config.Jobs.Select(j => j.Share)];
        var specs = new List<ServerSpec>(_states.Length);
        int index = 0;
        foreach (ServerConfig s in _config.Servers)
        {
            bool canSwitch = true;
            for (int k = 0; k < s.Count && linux is not null; k++)
            {
                canSwitch &= linux.CanSwitch(index + k);
            }
            if (!s.Protected && !canSwitch)
            {
                log?.Notice($"rack.servers '{s.Name}': configured unprotected, but the {_config.Hardware} backend cannot switch it: treated as protected");
            }
            var curve = new PowerCurve(GenericCurve(s.MaxCapWatts));
            var byClass = new Dictionary<int, ServerSpec>();
            for (int k = 0; k < s.Count; k++, index++)
            {
                int jobClass = s.Job.Length > 0 ? Array.FindIndex(config.Jobs, j => j.Name == s.Job) : ClassFor(index, _states.Length, shares);
                if (!byClass.TryGetValue(jobClass, out ServerSpec? spec))
                {
                    spec = new ServerSpec(s.Name, curve, s.ThroughputPerHour, s.MinCapWatts, s.MaxCapWatts, s.BootSeconds, s.BootEnergyWh,
                        Protected: s.Protected || !canSwitch, s.MinOnHours, s.MinOffHours, s.MaxCyclesPerDay, jobClass);
                    byClass[jobClass] = spec;
                }
                specs.Add(spec);
            }
        }
        double fanMin = 10.0 * _states.Length * _config.MinFanDuty;
        return new RackSpec(specs, classes, _config.BudgetWatts, _config.BudgetWatts, fanMin, 0.05);
    }

    /// <summary>Value per unit of the class used when the configuration lists no jobs (EUR per full-load server-hour).</summary>
    public const double DefaultValuePerUnitEur = 0.10;

    private static JobClass ToJobClass(JobConfig j) => j.Deferrable
        ? new JobClass(j.Name, j.ValuePerUnitEur, j.CpuSensitivity, Deferrable: true, j.WorkHoursPerDay, j.ReleaseHourOfDay, (int)j.DeadlineHours, j.MissPenaltyEurPerUnit)
        : JobClass.Interactive(j.Name, j.ValuePerUnitEur, j.CpuSensitivity);

    // Hour boundaries: switches decided in the hour that ended take effect, deadlines fall due, jobs arrive.
    private void AdvanceHours(long marketHour)
    {
        if (_lastHour == long.MinValue)
        {
            _lastHour = marketHour;
            for (int i = 0; i < _states.Length; i++)
            {
                _since[i] = marketHour - 24;
                _cycleDay[i] = marketHour / 24;
                JobClass c = _spec.Economics(i).Class;
                if (c.Deferrable)
                {
                    // Started inside a job's window: the day's job is there.
                    long release = marketHour - ((marketHour % 24) - c.ReleaseHourOfDay + 24) % 24;
                    if (marketHour < release + c.DeadlineHours)
                    {
                        Release(i, release, c);
                    }
                }
            }
            return;
        }
        if (marketHour <= _lastHour)
        {
            return;
        }
        for (long h = Math.Max(_lastHour + 1, marketHour - 48); h <= marketHour; h++)
        {
            for (int i = 0; i < _states.Length; i++)
            {
                if (_switchHour[i] >= 0 && _switchHour[i] < h)
                {
                    bool cancelled = _switchOn[i] && !_bootIssued[i];
                    if (!cancelled)
                    {
                        _up[i] = _switchOn[i];
                        _since[i] = _switchHour[i];
                        if (!_switchOn[i])
                        {
                            long day = _switchHour[i] / 24;
                            _cycles[i] = day == _cycleDay[i] ? _cycles[i] + 1 : 1;
                            _cycleDay[i] = day;
                        }
                    }
                    _switchHour[i] = -1;
                }
                JobClass c = _spec.Economics(i).Class;
                if (!c.Deferrable)
                {
                    continue;
                }
                if (_jobDeadline[i] != 0 && h >= _jobDeadline[i])
                {
                    if (_jobUnits[i] > 1e-9)
                    {
                        _reading.DeadlinesMissed++;
                        _log?.Warning(string.Create(CultureInfo.InvariantCulture,
                            $"{_names[i]}: deferrable job missed its deadline with {_jobUnits[i]:0.###} units left"));
                    }
                    else
                    {
                        _reading.DeadlinesMet++;
                    }
                    _jobUnits[i] = 0;
                    _jobDeadline[i] = 0;
                }
                if (h % 24 == c.ReleaseHourOfDay)
                {
                    Release(i, h, c);
                }
            }
        }
        _lastHour = marketHour;
    }

    private void Release(int i, long hour, JobClass c)
    {
        double units = c.DailySlots * _spec.Economics(i).SlotWork;
        _jobUnits[i] = units;
        _jobDeadline[i] = hour + c.DeadlineHours;
        _reading.DeferredUnitsReleased += units;
    }

    // Server states and queued jobs as the policy sees them; interactive demand from the daily shape.
    private int FillInputs(double hourOfDay)
    {
        // Demand: a daily shape (busy afternoons) with a per-rack phase, in work fractions of full throughput.
        double demand = 0.35 + (0.45 * Math.Exp(-0.5 * Math.Pow((hourOfDay - 14 - (2 * _demandPhase)) / 4.0, 2)));
        int jobs = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            ServerEconomics e = _spec.Economics(i);
            _demand[i] = Math.Clamp(demand + (0.1 * (((i * 7) % 5) - 2) / 2.0), 0, 1);
            long day = _lastHour / 24;
            int cycles = day == _cycleDay[i] ? _cycles[i] : 0;
            int inState = (int)Math.Clamp(_lastHour - _since[i], 1, 10_000);
            _states[i] = new ServerState(_up[i], inState, cycles, e.Class.Deferrable ? 0 : _demand[i]);
            if (e.Class.Deferrable && _jobUnits[i] > 1e-9)
            {
                int slots = (int)Math.Ceiling((_jobUnits[i] / e.SlotWork) - 1e-6);
                _jobs[jobs++] = new DeferrableJob(i, Math.Max(1, slots), _jobDeadline[i]);
            }
        }
        return jobs;
    }

    // Executes the decision's power commands: off at once, on timed to finish the boot as the hour ends.
    private void SwitchServers(long marketHour, double hourOfDay, double marketSeconds)
    {
        double secondsIntoHour = (hourOfDay - Math.Floor(hourOfDay)) * 3600;
        for (int i = 0; i < _states.Length; i++)
        {
            PowerCommand command = _setpoints[i].Command;
            if (_switchHour[i] == marketHour)
            {
                // Decided earlier this hour. A power-off is done; a boot not yet started may be called off.
                if (_switchOn[i] && !_bootIssued[i])
                {
                    if (command != PowerCommand.PowerOn)
                    {
                        _switchHour[i] = -1;
                        continue;
                    }
                    double lead = Math.Min(3600, _bootSeconds[i] + (2 * Math.Max(1, marketSeconds)));
                    if (secondsIntoHour >= 3600 - lead)
                    {
                        _bootIssued[i] = true;
                        _physicallyOn[i] = true;
                        _reading.PowerOns++;
                        _log?.Info($"{_names[i]}: power on (boot before the next hour)");
                        if (!SetPower(i, on: true))
                        {
                            // Refused (relay dwell, BMC down): the server stays off; the governor decides again next hour.
                            _switchHour[i] = -1;
                            _physicallyOn[i] = false;
                            _reading.PowerOns--;
                        }
                    }
                }
                continue;
            }
            if (command == PowerCommand.PowerOff && _up[i])
            {
                _switchHour[i] = marketHour;
                _switchOn[i] = false;
                _bootIssued[i] = false;
                _physicallyOn[i] = false;
                _reading.PowerOffs++;
                _log?.Info(string.Create(CultureInfo.InvariantCulture, $"{_names[i]}: power off (price {_lastPriceCt:0.###} ct/kWh)"));
                if (!SetPower(i, on: false))
                {
                    _switchHour[i] = -1;
                    _physicallyOn[i] = true;
                    _reading.PowerOffs--;
                }
            }
            else if (command == PowerCommand.PowerOn && !_up[i])
            {
                _switchHour[i] = marketHour;
                _switchOn[i] = true;
                _bootIssued[i] = false;
            }
        }
    }

    private bool SetPower(int i, bool on)
    {
        bool ok;
        if (_linux is not null)
        {
            ok = _linux.SetServerPower(i, on);
        }
        else
        {
            try
            {
                ValueTask t = _rack!.SimulatedServers[i].Bmc.ChassisControlAsync(on ? ChassisControl.PowerOn : ChassisControl.SoftOff);
                if (!t.IsCompletedSuccessfully)
                {
                    t.AsTask().GetAwaiter().GetResult();
                }
                ok = true;
            }
            catch (BmcException e)
            {
                ok = false;
                if (!_switchErrorLogged)
                {
                    _log?.Error($"{_names[i]}: BMC chassis control failed: {e.Message}");
                }
            }
        }
        if (!ok)
        {
            _reading.HardwareErrors++;
            if (!_switchErrorLogged)
            {
                _switchErrorLogged = true;
                _log?.Error($"{_names[i]}: could not power {(on ? "on" : "off")} (logged once)");
            }
        }
        return ok;
    }

    // The load level (0..1 of the power curve) at which server i does work fraction x of its full throughput:
    // the policy's model x = 1 - s + s*u for a class of CPU sensitivity s.
    private double LoadFor(int i, double x)
    {
        double s = _spec.Economics(i).Class.Sensitivity;
        return s <= 0 ? 0 : Math.Clamp((x - (1 - s)) / s, 0, 1);
    }

    private (double Power, double Hottest, double Work, int On) MeasureSimulated(SimulatedRack rack, double wallSeconds, double hours)
    {
        if (wallSeconds > 0)
        {
            rack.Advance(TimeSpan.FromSeconds(Math.Min(wallSeconds, 10)));
        }

        double power = 0, hottest = double.MinValue, value = 0;
        int on = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            SimulatedServer s = rack.SimulatedServers[i];
            power += s.PowerWatts;
            hottest = Math.Max(hottest, s.CpuSensor.ReadMillidegreesCelsius() / 1000.0);
            bool running = s.PowerState == ServerPowerState.On;
            on += running ? 1 : 0;
            if (!running || _asked[i] <= 0)
            {
                continue;
            }
            // Work done: the load the cap let through, as a fraction of full throughput (I/O-bound work up to 1 - s
            // needs no power above idle), never more than was asked for.
            ServerEconomics e = _spec.Economics(i);
            double sens = e.Class.Sensitivity;
            double x = Math.Min(_asked[i], 1 - sens + (sens * s.DeliveredUtilization));
            value += Credit(i, e, x * e.Server.ThroughputPerHour * hours);
        }
        return (power, hottest, value, on);
    }

    // Real packages: draw from the energy counters; utilization estimated as draw / uncapped draw.
    private (double Power, double Hottest, double Work, int On) MeasureLinux(LinuxRack linux, double wallSeconds, double hours)
    {
        double hottest = linux.Sample(wallSeconds, _power);
        double power = 0, value = 0;
        int on = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            double utilization = Math.Clamp(_power[i] / _capMax[i], 0, 1);
            power += _power[i];
            on += linux.IsServerOn(i) ? 1 : 0;
            _demand[i] = utilization;
            ServerEconomics e = _spec.Economics(i);
            value += Credit(i, e, utilization * e.Server.ThroughputPerHour * hours);
        }
        return (power, hottest, value, on);
    }

    // Value of units done on server i: interactive work counts as done; deferrable work counts against its job.
    private double Credit(int i, ServerEconomics e, double units)
    {
        if (e.Class.Deferrable)
        {
            units = Math.Min(units, _jobUnits[i]);
            _jobUnits[i] -= units;
            _reading.DeferredUnitsDone += units;
        }
        return units * e.Class.ValuePerUnitEur;
    }

    // A generic server curve (SPECpower-like shape) scaled to the configured uncapped draw.
    private static double[] GenericCurve(double maxWatts)
    {
        double[] shape = [0.35, 0.42, 0.48, 0.54, 0.60, 0.66, 0.72, 0.79, 0.86, 0.93, 1.0];
        double[] watts = new double[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            watts[i] = shape[i] * maxWatts;
        }
        return watts;
    }

    private static int ClassFor(int server, int count, double[] shares)
    {
        double position = (server + 0.5) / count;
        double cumulative = 0;
        for (int c = 0; c < shares.Length; c++)
        {
            cumulative += shares[c];
            if (position <= cumulative + 1e-9)
            {
                return c;
            }
        }
        return shares.Length - 1;
    }
}
