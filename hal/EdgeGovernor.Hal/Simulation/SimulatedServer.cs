using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// One server of the simulated rack: a SPECpower curve, power states with boot and shutdown times, power capping
/// (RAPL zone, cpufreq maximum, DCMI limit), fans with PWM to RPM and a first-order thermal model. Deterministic:
/// it moves only in <see cref="Step"/>.
/// </summary>
public sealed class SimulatedServer
{
    private readonly PowerWindow _window = new(60);
    private double _energyMicrojoules;
    private double _secondsInState;
    private double _secondsOverBmcLimit;
    private double _windowSeconds;

    internal SimulatedServer(int index, string name, SpecPowerCurve curve, ServerModel model, double inletCelsius, long maxEnergyRangeMicrojoules)
    {
        Index = index;
        Name = name;
        Curve = curve;
        Model = model;
        InletCelsius = inletCelsius;
        HeatSinkCelsius = inletCelsius;
        PackageZone = new SimulatedPowerCapZone(this, $"intel-rapl:{index}", "package-0", maxEnergyRangeMicrojoules);
        CpuFreq = new SimulatedCpuFreqPolicy(this, "policy0", model.MinFrequencyKhz, model.MaxFrequencyKhz);
        var fans = new SimulatedFan[model.FanCount];
        for (int i = 0; i < fans.Length; i++)
        {
            fans[i] = new SimulatedFan($"{name}/fan{i + 1}", model.FanMaxRpm);
        }

        Fans = fans;
        InletSensor = new SimulatedTemperatureSensor($"{name}/inlet", () => InletCelsius);
        CpuSensor = new SimulatedTemperatureSensor($"{name}/cpu", () => HeatSinkCelsius);
        Bmc = new SimulatedBmc(this);
    }

    /// <summary>Position in the rack (also the outlet's GPIO line).</summary>
    public int Index { get; }

    /// <summary>Name for logs, e.g. <c>server-07</c>.</summary>
    public string Name { get; }

    /// <summary>The power curve.</summary>
    public SpecPowerCurve Curve { get; }

    /// <summary>The model parameters.</summary>
    public ServerModel Model { get; }

    /// <summary>The current power state.</summary>
    public ServerPowerState PowerState { get; private set; } = ServerPowerState.Off;

    /// <summary>True while the outlet relay feeds the server.</summary>
    public bool HasAcPower { get; private set; }

    /// <summary>Power on when the outlet comes back on (BIOS "power restore: on").</summary>
    public bool PowerOnWhenAcRestored { get; set; } = true;

    /// <summary>Work offered, 0..1 of full load (set by the workload model or the test).</summary>
    public double Demand { get; set; }

    /// <summary>Work done, 0..1: the demand as far as power caps and frequency allow.</summary>
    public double DeliveredUtilization { get; private set; }

    /// <summary>Wall power now, in watts.</summary>
    public double PowerWatts { get; private set; }

    /// <summary>Energy drawn since the start, in joules.</summary>
    public double EnergyJoules => _energyMicrojoules / 1e6;

    /// <summary>Inlet air temperature.</summary>
    public double InletCelsius { get; set; }

    /// <summary>CPU heat sink temperature.</summary>
    public double HeatSinkCelsius { get; private set; }

    /// <summary>The RAPL package zone (in the simulation it covers the server's wall power).</summary>
    public SimulatedPowerCapZone PackageZone { get; }

    /// <summary>The cpufreq policy.</summary>
    public SimulatedCpuFreqPolicy CpuFreq { get; }

    /// <summary>The fans.</summary>
    public IReadOnlyList<SimulatedFan> Fans { get; }

    /// <summary>Inlet temperature sensor.</summary>
    public SimulatedTemperatureSensor InletSensor { get; }

    /// <summary>CPU temperature sensor.</summary>
    public SimulatedTemperatureSensor CpuSensor { get; }

    /// <summary>The BMC.</summary>
    public SimulatedBmc Bmc { get; }

    /// <summary>Number of times the BMC's exception action fired.</summary>
    public int PowerLimitExceptions { get; private set; }

    internal long EnergyMicrojoulesTotal => (long)_energyMicrojoules;

    internal PowerLimit? BmcLimit { get; set; }

    internal bool BmcLimitActive { get; set; }

    internal (double Min, double Max, double Average) WindowStatistics => _window.Statistics(PowerWatts);

    /// <summary>The effective cap in watts from RAPL and an active BMC limit (infinity when none).</summary>
    public double EffectiveCapWatts
    {
        get
        {
            double cap = double.PositiveInfinity;
            if (PackageZone.ReadEnabled())
            {
                cap = Math.Min(cap, PackageZone.ReadPowerLimitMicrowatts(0) / 1e6);
            }

            if (BmcLimitActive && BmcLimit is { } limit)
            {
                cap = Math.Min(cap, limit.LimitWatts);
            }

            return cap;
        }
    }

    internal void SetAcPower(bool on)
    {
        if (on == HasAcPower)
        {
            return;
        }

        HasAcPower = on;
        if (!on)
        {
            Enter(ServerPowerState.Off);
        }
        else if (PowerOnWhenAcRestored)
        {
            Enter(ServerPowerState.Booting);
        }
    }

    internal void Control(ChassisControl action)
    {
        switch (action)
        {
            case ChassisControl.PowerOn when PowerState is ServerPowerState.Off:
                Enter(ServerPowerState.Booting);
                break;
            case ChassisControl.PowerOff:
                Enter(ServerPowerState.Off);
                break;
            case ChassisControl.SoftOff when PowerState is ServerPowerState.On or ServerPowerState.Booting:
                Enter(ServerPowerState.ShuttingDown);
                break;
            case ChassisControl.PowerCycle when PowerState is not ServerPowerState.Off:
            case ChassisControl.HardReset when PowerState is not ServerPowerState.Off:
                Enter(ServerPowerState.Booting);
                break;
        }
    }

    /// <summary>Advances the server by <paramref name="seconds"/>.</summary>
    internal void Step(double seconds)
    {
        _secondsInState += seconds;
        if (PowerState == ServerPowerState.Booting && _secondsInState >= Model.BootTime.TotalSeconds)
        {
            Enter(ServerPowerState.On);
        }
        else if (PowerState == ServerPowerState.ShuttingDown && _secondsInState >= Model.ShutdownTime.TotalSeconds)
        {
            Enter(ServerPowerState.Off);
        }

        ComputePower();
        EnforceBmcLimit(seconds);
        _energyMicrojoules += PowerWatts * seconds * 1e6;

        double airflow = 0;
        foreach (SimulatedFan fan in Fans)
        {
            fan.Step(seconds, HeatSinkCelsius, HasAcPower && PowerState != ServerPowerState.Off);
            airflow += fan.Rpm / (double)fan.MaxRpm;
        }

        airflow /= Math.Max(1, Fans.Count);
        // Thermal resistance falls with airflow; with no airflow only natural convection (15 % of forced) remains.
        double resistance = Model.ThermalRiseAtMaxPowerFullAirflow / Curve.MaxWatts / (0.15 + (0.85 * airflow));
        double steadyState = InletCelsius + (PowerWatts * resistance);
        double alpha = 1 - Math.Exp(-seconds / Model.EffectiveThermalTimeConstant.TotalSeconds);
        HeatSinkCelsius += (steadyState - HeatSinkCelsius) * alpha;

        _windowSeconds += seconds;
        if (_windowSeconds >= 1)
        {
            _windowSeconds -= 1;
            _window.Add(PowerWatts);
        }
    }

    private void ComputePower()
    {
        if (!HasAcPower)
        {
            PowerWatts = 0;
            DeliveredUtilization = 0;
            return;
        }

        switch (PowerState)
        {
            case ServerPowerState.Off:
                PowerWatts = Model.StandbyWatts;
                DeliveredUtilization = 0;
                return;
            case ServerPowerState.Booting:
                PowerWatts = Curve.WattsAt(Model.BootUtilization); // POST is not capped
                DeliveredUtilization = 0;
                return;
            case ServerPowerState.ShuttingDown:
                PowerWatts = Curve.IdleWatts;
                DeliveredUtilization = 0;
                return;
        }

        // Running: the frequency ceiling limits work (linearly) and dynamic power (quadratically);
        // a power cap then throttles further, down to idle at most.
        double frequencyRatio = CpuFreq.ReadMaxKhz() / (double)CpuFreq.HardwareMaxKhz;
        double demand = Math.Clamp(Demand, 0, 1);
        double dynamicScale = frequencyRatio * frequencyRatio;
        double uncapped = Curve.IdleWatts + ((Curve.WattsAt(demand) - Curve.IdleWatts) * dynamicScale);
        double cap = EffectiveCapWatts;
        double power = Math.Max(Curve.IdleWatts, Math.Min(uncapped, cap));
        PowerWatts = power;
        double work = uncapped <= Curve.IdleWatts
            ? demand * frequencyRatio
            : demand * frequencyRatio * ((power - Curve.IdleWatts) / (uncapped - Curve.IdleWatts));
        DeliveredUtilization = Math.Clamp(work, 0, 1);
    }

    private void EnforceBmcLimit(double seconds)
    {
        if (!BmcLimitActive || BmcLimit is not { } limit || PowerWatts <= limit.LimitWatts)
        {
            _secondsOverBmcLimit = 0;
            return;
        }

        _secondsOverBmcLimit += seconds;
        if (_secondsOverBmcLimit * 1000 < limit.CorrectionTimeMs)
        {
            return;
        }

        _secondsOverBmcLimit = 0;
        PowerLimitExceptions++;
        if (limit.ExceptionAction == PowerLimitExceptionAction.HardPowerOffAndLogEvent)
        {
            Enter(ServerPowerState.Off);
            ComputePower();
        }
    }

    private void Enter(ServerPowerState state)
    {
        PowerState = state;
        _secondsInState = 0;
    }

    /// <summary>Per-second power samples of the last minute, for DCMI statistics.</summary>
    private sealed class PowerWindow(int capacity)
    {
        private readonly double[] _samples = new double[capacity];
        private int _count;
        private int _next;

        public void Add(double watts)
        {
            _samples[_next] = watts;
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }

        public (double Min, double Max, double Average) Statistics(double current)
        {
            if (_count == 0)
            {
                return (current, current, current);
            }

            double min = double.MaxValue, max = double.MinValue, sum = 0;
            for (int i = 0; i < _count; i++)
            {
                min = Math.Min(min, _samples[i]);
                max = Math.Max(max, _samples[i]);
                sum += _samples[i];
            }

            return (min, max, sum / _count);
        }
    }
}
