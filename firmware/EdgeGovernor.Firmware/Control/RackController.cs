using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The control loop of one rack: price in force (or the stale signal), the day-ahead prices the node holds,
/// the servers' power states and the queued deferrable jobs -> <see cref="Governor"/> (firmware/EdgeGovernor.Policy)
/// -> power caps and power-off/power-on of unprotected servers on an <see cref="IRackBackend"/>, within the
/// <see cref="SafetyEnvelope"/> measured on the hardware that no price overrides. It runs with or without a price and
/// with or without a cluster. Energy, cost and emissions go to an <see cref="EnergyLedger"/>, the demo's price
/// response to <see cref="PriceResponseStatistics"/>. Allocation-free per step (buffers sized at construction; only
/// the rare power-cycle events log).
/// <para>
/// Backends: <see cref="SimulatedRackBackend"/> (<c>rack.hardware = "simulated"</c>, the embedded default) and
/// <see cref="LinuxRack"/> (<c>"linux"</c>). A server the backend cannot switch is protected whatever the
/// configuration says (logged once).
/// </para>
/// <para>
/// It works at the market interval (<c>market.intervalMinutes</c>: 5, 15, 30 or 60 minutes; the rack spec's
/// <see cref="RackSpec.IntervalMinutes"/>): each step passes the absolute interval index of market time, and at every
/// interval boundary the governor plans again with the prices, carbon intensities and jobs of that interval
/// (<see cref="IntervalsDecided"/> counts the boundaries). Power states follow the policy's interval model
/// (<see cref="PowerCycler"/>). Deferrable classes get one job a day per server (released at <c>releaseHourOfDay</c>, due
/// <c>deadlineHours</c> later, both counted in intervals); the work the server does while the governor runs its slot is
/// counted against it. Energy is booked in market time (wall time x acceleration), and per interval in the
/// <see cref="EnergyLedger"/>. The carbon intensity in force and ahead (<see cref="SetCarbon"/>) and
/// <c>carbon.pricePerTonne</c> go to the governor, which decides on the price plus the carbon cost.
/// </para>
/// </summary>
internal sealed partial class RackController : IDisposable
{
    /// <summary>Longest day-ahead look the controller passes to the governor (h).</summary>
    public const int MaxDayAheadHours = Governor.MaxHorizonHours;

    /// <summary>Most day-ahead intervals the controller passes at <paramref name="intervalMinutes"/>.</summary>
    public static int MaxDayAheadIntervals(int intervalMinutes) => MaxDayAheadHours * 60 / intervalMinutes;

    private readonly IRackBackend _backend;
    private readonly Logger? _log;
    private readonly Governor _governor;
    private readonly RackSpec _spec;
    private readonly RackConfig _config;
    private readonly SafetyEnvelope _envelope;
    private readonly PowerCycler _cycler;
    private readonly EnergyLedger _ledger = new();

    /// <summary>The ledger energy, cost and emissions are booked in.</summary>
    public EnergyLedger Ledger => _ledger;
    private readonly PriceResponseStatistics _priceResponse = new();
    private readonly ServerSlot[] _slots;
    private readonly ServerState[] _states;
    private readonly ServerSetpoint[] _setpoints;
    private readonly DeferrableJob[] _jobs;
    private readonly double[] _dayAhead;
    private readonly double[] _carbonAhead;
    private readonly double _demandPhase;
    private readonly int _perDay;
    private readonly int _perHour;
    private readonly double _intervalSeconds;
    private RackReading _reading;
    private double _lastPriceCt;
    private double _carbonKgPerKwh = double.NaN;
    private int _carbonKnown;
    private long _lastInterval = long.MinValue;

    /// <summary>Builds the rack backend and the governor from the configuration.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="seed">Per-rack seed of the simulated demand shape.</param>
    /// <param name="log">Where hardware errors, restores and power cycles are logged.</param>
    /// <exception cref="Hal.HalException">The linux backend cannot open the hardware or its state file.</exception>
    /// <exception cref="InvalidDataException">The linux backend found a different number of RAPL packages than servers.</exception>
    /// <exception cref="ArgumentException">The policy rejects the rack (the budget cannot hold every server at its floor).</exception>
    /// <param name="linuxOptions">Seams of the linux backend (GPIO drivers, BMC clients, time; tests), default hal's.</param>
    public RackController(FirmwareConfig config, ulong seed, Logger? log = null, LinuxRackOptions? linuxOptions = null)
    {
        _config = config.Rack;
        _log = log;
        _backend = _config.Hardware == "linux" ? new LinuxRack(_config, log, linuxOptions) : new SimulatedRackBackend(config, log);
        var slots = new List<ServerSlot>();
        foreach (ServerConfig s in _config.Servers)
        {
            for (int k = 0; k < s.Count; k++)
            {
                slots.Add(ServerSlot.Create($"{s.Name}-{k}", s.MinCapWatts, s.MaxCapWatts, s.BootSeconds, _backend.PoweredAtStart(slots.Count)));
            }
        }
        _slots = [.. slots];
        _states = new ServerState[_slots.Length];
        _setpoints = new ServerSetpoint[_slots.Length];
        _jobs = new DeferrableJob[_slots.Length];
        _cycler = new PowerCycler(_backend, log);
        _envelope = new SafetyEnvelope(_config.BudgetWatts, _config.MaxTemperatureC, _config.MinFanDuty);
        _reading.PeakPriceCt = _priceResponse.PeakPriceCt;
        _reading.CheapestPriceCt = _priceResponse.CheapestPriceCt;
        _demandPhase = (seed % 1000) / 1000.0;

        _spec = RackSpecBuilder.Build(config, _backend, log);
        _perDay = _spec.IntervalsPerDay;
        _perHour = _spec.IntervalsPerHour;
        _intervalSeconds = _spec.IntervalMinutes * 60.0;
        _dayAhead = new double[MaxDayAheadIntervals(_spec.IntervalMinutes)];
        _carbonAhead = new double[_dayAhead.Length];
        double safeCap = 0;
        foreach (ServerSlot slot in _slots)
        {
            safeCap = Math.Max(safeCap, slot.CapMin + (config.SafePolicy.CapFraction * (slot.CapMax - slot.CapMin)));
        }
        _governor = new Governor(_spec, new GovernorOptions
        {
            SafePolicy = config.SafePolicy.Mode == "fallback-price" ? Policy.SafePolicy.FallbackPrice : Policy.SafePolicy.FixedCap,
            SafeCapWatts = safeCap,
            FallbackPriceCentsPerKwh = config.SafePolicy.FallbackPriceCtPerKwh,
            // At most one plan solve per control period: the daily re-plan is spread over the following periods, so no
            // single step holds more than one plan (BENCHMARKS.md, Firmware: the 42-server boundary step at 15 minutes).
            MaxPlanSolvesPerCall = 1,
            CarbonPricePerTonne = config.Carbon.PricePerTonne,
        });
    }

    /// <summary>Servers in the rack.</summary>
    public int ServerCount => _slots.Length;

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts => _config.BudgetWatts;

    /// <summary>The rack model the governor runs (servers as the policy sees them: protection, boot, classes, interval).</summary>
    public RackSpec Spec => _spec;

    /// <summary>Market intervals per hour the rack plans at (4 at 15 minutes).</summary>
    public int IntervalsPerHour => _perHour;

    /// <summary>Market interval boundaries the controller has decided at (the first step counts as one).</summary>
    public long IntervalsDecided { get; private set; }

    /// <summary>Day-ahead prices (and carbon intensities) the controller passes on, market intervals (48 h).</summary>
    public int DayAheadIntervals => _dayAhead.Length;

    /// <summary>The absolute market interval of the last step (<see cref="long.MinValue"/> before the first).</summary>
    public long Interval => _lastInterval;

    /// <summary>The hardware backend (for tests and diagnostics).</summary>
    public IRackBackend Backend => _backend;

    /// <summary>The latest reading.</summary>
    public ref readonly RackReading Reading => ref _reading;

    /// <summary>Whether server <paramref name="server"/> counts as up for the policy this interval.</summary>
    public bool IsUp(int server) => _slots[server].Up;

    /// <summary>Whether server <paramref name="server"/> is powered (booting or running) as the controller last commanded it.</summary>
    public bool IsPowered(int server) => _slots[server].Powered;

    /// <summary>Units of deferrable work left in server <paramref name="server"/>'s current job (0: none queued).</summary>
    public double JobUnitsLeft(int server) => _slots[server].JobUnits;

    /// <summary>The setpoint of the last decision for server <paramref name="server"/>.</summary>
    public ServerSetpoint Setpoint(int server) => _setpoints[server];

    /// <summary>One control step without day-ahead prices beyond the one in force (see the overload).</summary>
    public void Step(long interval, double hourOfDay, double priceCtPerKwh, double wallSeconds, double marketSeconds) =>
        Step(interval, hourOfDay, priceCtPerKwh, [], wallSeconds, marketSeconds);

    /// <summary>
    /// The grid's carbon intensity for the next steps: <paramref name="kgPerKwh"/> in force (booked by the ledger and
    /// passed to the governor; NaN: unknown, the ledger keeps its factor) and <paramref name="ahead"/> per market
    /// interval from the current one (NaN: unknown), aligned with the day-ahead prices. Copied; allocation-free.
    /// </summary>
    public void SetCarbon(double kgPerKwh, ReadOnlySpan<double> ahead)
    {
        if (double.IsFinite(kgPerKwh) && kgPerKwh >= 0)
        {
            _ledger.IntensityKgPerKwh = kgPerKwh;
            _carbonKgPerKwh = kgPerKwh;
        }
        else
        {
            _carbonKgPerKwh = double.NaN;
        }
        _carbonKnown = Math.Min(ahead.Length, _carbonAhead.Length);
        ahead[.._carbonKnown].CopyTo(_carbonAhead);
    }

    /// <summary>
    /// One control step: advance the hardware by <paramref name="wallSeconds"/>, book energy and work for
    /// <paramref name="marketSeconds"/> at the price in force, decide, then program caps and power states.
    /// </summary>
    /// <param name="interval">Absolute market interval of market time at the rack's interval (market ticks / interval
    /// ticks; interval of day = value % intervals per day).</param>
    /// <param name="hourOfDay">Fractional hour of day of market time (demand shape, boot timing).</param>
    /// <param name="priceCtPerKwh">Price in force, ct/kWh; NaN when stale or missing.</param>
    /// <param name="dayAhead">Prices the node holds for this and the next intervals (ct/kWh, [0] = this interval, NaN = unknown).</param>
    /// <param name="wallSeconds">Wall time since the previous step.</param>
    /// <param name="marketSeconds">Market time since the previous step.</param>
    public void Step(long interval, double hourOfDay, double priceCtPerKwh, ReadOnlySpan<double> dayAhead, double wallSeconds, double marketSeconds)
    {
        bool stale = double.IsNaN(priceCtPerKwh);
        if (!stale)
        {
            _lastPriceCt = priceCtPerKwh;
        }

        // Measure the period that just passed (setpoints of the previous step, credited before its interval closes).
        double hours = Math.Max(0, marketSeconds) / 3600.0;
        double power = Measure(wallSeconds, hours, out double hottest, out int on);

        // An asserted maintenance/alarm input holds the rack at its safe policy: decide as without a price.
        _reading.Inputs = _backend.Inputs;
        _reading.SafePolicyHeld = _backend.Inputs?.HoldSafePolicy == true;
        if (_reading.SafePolicyHeld)
        {
            priceCtPerKwh = double.NaN;
            dayAhead = [];
        }
        _ledger.Book(power, hours, _lastPriceCt);
        if (interval != _lastInterval && _lastInterval != long.MinValue)
        {
            _ledger.CloseInterval();
        }
        _reading.Kwh = _ledger.Kwh;
        _reading.Eur = _ledger.Eur;
        _reading.KgCo2 = _ledger.KgCo2;

        // Interval boundaries, then decide.
        AdvanceIntervals(interval);
        _reading.Mode = Decide(interval, priceCtPerKwh, dayAhead, FillInputs(hourOfDay)).Mode;

        // Power states, then the envelope on measured values, then caps.
        (int offs, int ons) = _cycler.Execute(_slots, _setpoints, interval, hourOfDay, _intervalSeconds, marketSeconds, _lastPriceCt);
        _reading.PowerOffs += offs;
        _reading.PowerOns += ons;
        ApplyCaps(interval, power, stale ? double.NaN : priceCtPerKwh);
        _reading.EnvelopeActions += _backend.EnforceMinimumFanDuty(_envelope.MinimumFanDuty);
        _reading.HardwareErrors = _backend.Errors;
        _reading.Hardware = _backend.Counters;
        _reading.PowerWatts = power;
        _reading.MaxTemperatureC = hottest;
        _reading.ServersOn = on;
    }

    /// <summary>
    /// Puts the hardware back as found at start before exit: on linux every journalled setting (limits,
    /// enabled flags, fan duties) and the state file is deleted; on the simulated rack every cap goes to the
    /// server's maximum.
    /// </summary>
    public void Restore() => _backend.Restore();

    /// <inheritdoc/>
    public void Dispose() => _backend.Dispose();

    // Samples the backend; books the work done against the servers' classes and jobs. Returns the rack's draw.
    private double Measure(double wallSeconds, double hours, out double hottest, out int on)
    {
        hottest = _backend.Sample(wallSeconds);
        double power = 0, value = 0;
        on = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            ServerSample s = _backend.Server(i);
            power += s.PowerWatts;
            on += s.Running ? 1 : 0;
            ServerEconomics e = _spec.Economics(i);
            double units = s.WorkFraction * e.Server.ThroughputPerHour * hours;
            if (e.Class.Deferrable)
            {
                // Deferrable work counts against the queued job only.
                units = _slots[i].TakeJobWork(units);
                _reading.DeferredUnitsDone += units;
            }
            value += units * e.Class.ValuePerUnitEur;
            _reading.OffServerHours += _slots[i].Powered ? 0 : hours;
        }
        _reading.WorkValueEur += value;
        return power;
    }

    private RackDecision Decide(long interval, double priceCtPerKwh, ReadOnlySpan<double> dayAhead, int jobs)
    {
        bool stale = double.IsNaN(priceCtPerKwh);
        _dayAhead.AsSpan().Fill(double.NaN);
        dayAhead[..Math.Min(dayAhead.Length, _dayAhead.Length)].CopyTo(_dayAhead);
        _dayAhead[0] = stale ? double.NaN : priceCtPerKwh;
        // "Published so far": the governor re-plans deferrable work when this reaches further than before.
        int known = _dayAhead.Length;
        while (known > 1 && double.IsNaN(_dayAhead[known - 1]))
        {
            known--;
        }
        return _governor.Decide(new PolicyInput
        {
            Interval = interval,
            PriceCentsPerKwh = stale ? 0 : priceCtPerKwh,
            PriceStale = stale,
            DayAhead = _dayAhead.AsSpan(0, known),
            Servers = _states,
            Jobs = _jobs.AsSpan(0, jobs),
            CarbonKgPerKwh = _carbonKgPerKwh,
            CarbonAhead = _carbonAhead.AsSpan(0, Math.Min(_carbonKnown, known)),
        }, _setpoints);
    }

    // Interval boundaries: switches decided in the interval that ended take effect, deadlines fall due, jobs arrive.
    private void AdvanceIntervals(long interval)
    {
        if (_lastInterval == long.MinValue)
        {
            _lastInterval = interval;
            IntervalsDecided = 1;
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i].Since = interval - _perDay;
                _slots[i].CycleDay = interval / _perDay;
                ServerEconomics e = _spec.Economics(i);
                // Started inside a job's window: the day's job is there.
                long release = interval - ((interval % _perDay) - e.ReleaseIntervalOfDay + _perDay) % _perDay;
                if (e.Class.Deferrable && interval < release + (e.Class.DeadlineHours * _perHour))
                {
                    Release(i, release, e);
                }
            }
            return;
        }
        if (interval > _lastInterval)
        {
            IntervalsDecided++;
        }
        for (long t = Math.Max(_lastInterval + 1, interval - (2 * _perDay)); t <= interval; t++)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                ref ServerSlot slot = ref _slots[i];
                slot.CompleteSwitchBefore(t, _perDay);
                ServerEconomics e = _spec.Economics(i);
                JobClass c = e.Class;
                if (c.Deferrable && slot.TryCloseJob(t, out double left))
                {
                    if (left > 1e-9)
                    {
                        _reading.DeadlinesMissed++;
                        _log?.Warning(string.Create(CultureInfo.InvariantCulture, $"{slot.Name}: deferrable job missed its deadline with {left:0.###} units left"));
                    }
                    else
                    {
                        _reading.DeadlinesMet++;
                    }
                }
                if (c.Deferrable && t % _perDay == e.ReleaseIntervalOfDay)
                {
                    Release(i, t, e);
                }
            }
        }
        _lastInterval = Math.Max(_lastInterval, interval);
    }

    private void Release(int i, long interval, ServerEconomics e)
    {
        double units = e.JobSlots * e.SlotWork;
        _slots[i].ReleaseJob(interval, units, e.Class.DeadlineHours * _perHour);
        _reading.DeferredUnitsReleased += units;
    }

    // Server states and queued jobs as the policy sees them; interactive demand from the daily shape.
    private int FillInputs(double hourOfDay)
    {
        // Demand: a daily shape (busy afternoons) with a per-rack phase, in work fractions of full throughput.
        double demand = 0.35 + (0.45 * Math.Exp(-0.5 * Math.Pow((hourOfDay - 14 - (2 * _demandPhase)) / 4.0, 2)));
        long day = _lastInterval / _perDay;
        int jobs = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref ServerSlot slot = ref _slots[i];
            ServerEconomics e = _spec.Economics(i);
            slot.Demand = Math.Clamp(demand + (0.1 * (((i * 7) % 5) - 2) / 2.0), 0, 1);
            int inState = (int)Math.Clamp(_lastInterval - slot.Since, 1, 100_000);
            _states[i] = new ServerState(slot.Up, inState, slot.CyclesOn(day), e.Class.Deferrable ? 0 : slot.Demand);
            if (e.Class.Deferrable && slot.JobUnits > 1e-9)
            {
                int slots = (int)Math.Ceiling((slot.JobUnits / e.SlotWork) - 1e-6);
                _jobs[jobs++] = new DeferrableJob(i, Math.Max(1, slots), slot.JobDeadline);
            }
        }
        return jobs;
    }

    // The envelope on measured values, then the caps and the asked work; feeds the demo's price response.
    private void ApplyCaps(long interval, double power, double priceCtPerKwh)
    {
        double scale = _envelope.BudgetScale(power);
        if (scale < 1.0)
        {
            _reading.EnvelopeActions++;
        }
        double caps = 0, interactiveCaps = 0;
        int interactive = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref readonly ServerSlot slot = ref _slots[i];
            ServerSetpoint sp = _setpoints[i];
            JobClass c = _spec.Economics(i).Class;
            bool serving = slot.Serving(interval);
            double cap = _envelope.Cap(serving && sp.CapWatts > 0 ? sp.CapWatts : slot.CapMin, scale, slot.CapMin, slot.CapMax, _backend.TemperatureC(i), out bool tooHot);
            _reading.EnvelopeActions += tooHot ? 1 : 0;
            caps += cap;
            if (serving && !c.Deferrable)
            {
                interactiveCaps += cap;
                interactive++;
            }
            _backend.SetCap(i, cap);
            _backend.SetWorkload(i, !serving ? 0 : sp.RunDeferrable ? 1 : c.Deferrable ? 0 : slot.Demand, c.Sensitivity);
        }
        if (!double.IsNaN(priceCtPerKwh) && interactive > 0)
        {
            _priceResponse.Observe(priceCtPerKwh, interactiveCaps / interactive);
            _reading.PeakPriceCt = _priceResponse.PeakPriceCt;
            _reading.InteractiveCapAtPeakWatts = _priceResponse.InteractiveCapAtPeakWatts;
            _reading.CheapestPriceCt = _priceResponse.CheapestPriceCt;
            _reading.InteractiveCapAtCheapestWatts = _priceResponse.InteractiveCapAtCheapestWatts;
        }
        _reading.CapWatts = caps;
    }
}
