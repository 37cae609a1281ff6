using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
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
}

/// <summary>
/// The control loop of one rack: price in force (or the stale signal) -> <see cref="Governor"/>
/// (firmware/EdgeGovernor.Policy) -> power caps on the rack's RAPL zones, with a safety envelope
/// measured on the hardware that no price overrides: when the measured draw exceeds the PDU budget
/// every cap is scaled down; a server above the temperature limit goes to its minimum cap; fans never
/// run below the configured minimum duty. It runs with or without a price and with or without a
/// cluster. Allocation-free per step (buffers sized at construction).
/// <para>
/// Two backends: the simulated rack of hal/ (<c>rack.hardware = "simulated"</c>, the embedded default;
/// physics run in wall time) and the Linux sysfs layer of hal/ (<c>"linux"</c>, <see cref="LinuxRack"/>:
/// one configured server per RAPL package, draw from the energy counters, caps as the packages' long-term
/// limits, journalled and restored). Servers are treated as protected (the firmware does not power-cycle
/// them yet) and every job class as interactive. Energy, cost and emissions are booked in market time
/// (wall time x the feed's acceleration) so that an accelerated demo day adds up to a day.
/// </para>
/// </summary>
public sealed class RackController : IDisposable
{
    /// <summary>Grid emission factor used for CO2 (kg per kWh), the architecture's default.</summary>
    public const double KgCo2PerKwh = 0.429;

    private readonly SimulatedRack? _rack;
    private readonly LinuxRack? _linux;
    private readonly double[] _power;
    private readonly Governor _governor;
    private readonly RackConfig _config;
    private readonly double[] _capMin;
    private readonly double[] _capMax;
    private readonly double[] _valuePerHour;
    private readonly ServerState[] _states;
    private readonly ServerSetpoint[] _setpoints;
    private readonly double[] _dayAhead = new double[24];
    private readonly double _demandPhase;
    private RackReading _reading;
    private double _lastPriceCt;

    /// <summary>Builds the rack backend and the governor from the configuration.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="seed">Per-rack seed of the simulated demand shape.</param>
    /// <param name="log">Where hardware errors and restores are logged (linux backend).</param>
    /// <exception cref="HalException">The linux backend cannot open the hardware or its state file.</exception>
    /// <exception cref="InvalidDataException">The linux backend found a different number of RAPL packages than servers.</exception>
    public RackController(FirmwareConfig config, ulong seed, Logger? log = null)
    {
        _config = config.Rack;
        int count = 0;
        foreach (ServerConfig s in _config.Servers)
        {
            count += s.Count;
        }
        var halCurves = new List<SpecPowerCurve>(count);
        var specs = new List<ServerSpec>(count);
        _capMin = new double[count];
        _capMax = new double[count];
        _valuePerHour = new double[count];

        JobClass[] classes = config.Jobs.Length == 0
            ? [JobClass.Interactive("default", 0.04, 0.7)]
            : [.. config.Jobs.Select(j => JobClass.Interactive(j.Name, j.ValuePerUnitEur, j.CpuSensitivity))];
        double[] shares = config.Jobs.Length == 0 ? [1.0] : [.. config.Jobs.Select(j => j.Share)];

        int index = 0;
        foreach (ServerConfig s in _config.Servers)
        {
            double[] watts = GenericCurve(s.MaxCapWatts);
            for (int k = 0; k < s.Count; k++, index++)
            {
                int jobClass = ClassFor(index, count, shares);
                halCurves.Add(new SpecPowerCurve(s.Model, "", watts));
                specs.Add(new ServerSpec($"{s.Name}-{k}", new PowerCurve(watts), ThroughputPerHour: 1, s.MinCapWatts, s.MaxCapWatts,
                    BootSeconds: 120, BootEnergyWh: 5, Protected: true, MinOnHours: 1, MinOffHours: 1, MaxCyclesPerDay: 0, jobClass));
                _capMin[index] = s.MinCapWatts;
                _capMax[index] = s.MaxCapWatts;
                _valuePerHour[index] = classes[jobClass].ValuePerUnitEur;
            }
        }

        double fanMin = 10.0 * count * _config.MinFanDuty;
        var rackSpec = new RackSpec(specs, classes, _config.BudgetWatts, _config.BudgetWatts, fanMin, 0.05);
        double safeCap = 0;
        for (int i = 0; i < count; i++)
        {
            safeCap = Math.Max(safeCap, _capMin[i] + (config.SafePolicy.CapFraction * (_capMax[i] - _capMin[i])));
        }
        _governor = new Governor(rackSpec, new GovernorOptions
        {
            SafePolicy = config.SafePolicy.Mode == "fallback-price" ? Policy.SafePolicy.FallbackPrice : Policy.SafePolicy.FixedCap,
            SafeCapWatts = safeCap,
            FallbackPriceCentsPerKwh = config.SafePolicy.FallbackPriceCtPerKwh,
            // At most one plan solve per control period: the daily re-plan is spread over the
            // following periods, so no single decision exceeds ~30 us (BENCHMARKS.md, Policy).
            MaxPlanSolvesPerCall = 1,
        });

        _states = new ServerState[count];
        _setpoints = new ServerSetpoint[count];
        _power = new double[count];
        _demandPhase = (seed % 1000) / 1000.0;
        if (_config.Hardware == "linux")
        {
            _linux = new LinuxRack(_config, log);
            return;
        }

        _rack = new SimulatedRack(halCurves, new SimulatedRackOptions(ServerCount: count, InletCelsius: _config.InletTemperatureC, StepMilliseconds: 250), new ManualClock());
        for (int i = 0; i < count; i++)
        {
            SimulatedServer server = _rack.SimulatedServers[i];
            server.PackageZone.SetEnabled(true);
            server.PackageZone.SetPowerLimitMicrowatts(0, (long)(_capMax[i] * 1e6));
        }
    }

    /// <summary>Servers in the rack.</summary>
    public int ServerCount => _states.Length;

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts => _config.BudgetWatts;

    /// <summary>The latest reading.</summary>
    public ref readonly RackReading Reading => ref _reading;

    /// <summary>
    /// One control step: advance the hardware by <paramref name="wallSeconds"/>, book energy for
    /// <paramref name="marketSeconds"/> at the price in force, decide and program the caps.
    /// </summary>
    /// <param name="marketHour">Absolute hour of market time (hour of day = value % 24).</param>
    /// <param name="hourOfDay">Fractional hour of day of market time (demand shape).</param>
    /// <param name="priceCtPerKwh">Price in force, ct/kWh; NaN when stale or missing.</param>
    /// <param name="wallSeconds">Wall time since the previous step.</param>
    /// <param name="marketSeconds">Market time since the previous step.</param>
    public void Step(long marketHour, double hourOfDay, double priceCtPerKwh, double wallSeconds, double marketSeconds)
    {
        bool stale = double.IsNaN(priceCtPerKwh);
        if (!stale)
        {
            _lastPriceCt = priceCtPerKwh;
        }

        // Measure.
        double power, hottest, work;
        int on;
        if (_linux is not null)
        {
            (power, hottest, work, on) = MeasureLinux(_linux, wallSeconds);
        }
        else
        {
            (power, hottest, work, on) = MeasureSimulated(_rack!, hourOfDay, wallSeconds);
        }

        double hours = marketSeconds / 3600.0;
        double kwh = power * hours / 1000.0;
        _reading.Kwh += kwh;
        _reading.Eur += kwh * _lastPriceCt / 100.0;
        _reading.KgCo2 += kwh * KgCo2PerKwh;
        _reading.WorkValueEur += work * hours;

        // Decide.
        Array.Fill(_dayAhead, double.NaN);
        _dayAhead[0] = stale ? double.NaN : priceCtPerKwh;
        var input = new PolicyInput
        {
            Hour = marketHour,
            PriceCentsPerKwh = stale ? 0 : priceCtPerKwh,
            PriceStale = stale,
            DayAhead = _dayAhead,
            Servers = _states,
            Jobs = [],
        };
        RackDecision decision = _governor.Decide(input, _setpoints);
        _reading.Mode = decision.Mode;

        // Envelope on measured values, then program.
        double scale = power > _config.BudgetWatts ? _config.BudgetWatts / power : 1.0;
        if (scale < 1.0)
        {
            _reading.EnvelopeActions++;
        }
        double caps = 0;
        int minDuty = (int)Math.Ceiling(_config.MinFanDuty * FanValidation.MaxDuty);
        for (int i = 0; i < _states.Length; i++)
        {
            SimulatedServer? s = _rack?.SimulatedServers[i];
            double cap = _setpoints[i].CapWatts > 0 ? _setpoints[i].CapWatts : _capMax[i];
            cap = Math.Clamp(cap * scale, _capMin[i], _capMax[i]);
            // The linux backend has no per-package sensor map: the hottest sensor of the board counts for all.
            double temperature = s is null ? hottest : s.CpuSensor.ReadMillidegreesCelsius() / 1000.0;
            if (temperature > _config.MaxTemperatureC)
            {
                cap = _capMin[i];
                _reading.EnvelopeActions++;
            }
            caps += cap;
            if (s is null)
            {
                _linux!.SetCap(i, cap);
                continue;
            }
            s.PackageZone.SetPowerLimitMicrowatts(0, (long)(cap * 1e6));
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

    private (double Power, double Hottest, double Work, int On) MeasureSimulated(SimulatedRack rack, double hourOfDay, double wallSeconds)
    {
        // Demand: a daily shape (busy afternoons) with a per-rack phase.
        double demand = 0.35 + (0.45 * Math.Exp(-0.5 * Math.Pow((hourOfDay - 14 - (2 * _demandPhase)) / 4.0, 2)));
        for (int i = 0; i < _states.Length; i++)
        {
            SimulatedServer s = rack.SimulatedServers[i];
            s.Demand = Math.Clamp(demand + (0.1 * (((i * 7) % 5) - 2) / 2.0), 0, 1);
        }

        if (wallSeconds > 0)
        {
            rack.Advance(TimeSpan.FromSeconds(Math.Min(wallSeconds, 10)));
        }

        double power = 0, hottest = double.MinValue, work = 0;
        int on = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            SimulatedServer s = rack.SimulatedServers[i];
            power += s.PowerWatts;
            hottest = Math.Max(hottest, s.CpuSensor.ReadMillidegreesCelsius() / 1000.0);
            bool up = s.PowerState == ServerPowerState.On;
            on += up ? 1 : 0;
            _states[i] = new ServerState(up, 1, 0, s.Demand);
            work += s.DeliveredUtilization * _valuePerHour[i];
        }
        return (power, hottest, work, on);
    }

    // Real packages: draw from the energy counters; utilization estimated as draw / uncapped draw.
    private (double Power, double Hottest, double Work, int On) MeasureLinux(LinuxRack linux, double wallSeconds)
    {
        double hottest = linux.Sample(wallSeconds, _power);
        double power = 0, work = 0;
        int on = 0;
        for (int i = 0; i < _states.Length; i++)
        {
            double utilization = Math.Clamp(_power[i] / _capMax[i], 0, 1);
            power += _power[i];
            bool up = linux.IsServerOn(i);
            on += up ? 1 : 0;
            _states[i] = new ServerState(up, 1, 0, utilization);
            work += utilization * _valuePerHour[i];
        }
        return (power, hottest, work, on);
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
