using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.CpuFreq;
using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A rack of simulated servers behind the same interfaces as real hardware: RAPL zones, cpufreq policies,
/// fans, temperature sensors, BMCs and outlet relays on a simulated GPIO chip. Time moves only in
/// <see cref="Advance"/>, on the injected <see cref="ManualClock"/>: a run is reproducible exactly. It is the
/// firmware's hardware when none is configured, and the simulator's rack.
/// </summary>
public sealed class SimulatedRack : IRackHardware
{
    private readonly SimulatedServer[] _servers;
    private readonly SimulatedGpioDriver _gpio;
    private readonly ServerView[] _views;

    /// <summary>Builds a rack; server i gets curve i modulo the number of curves.</summary>
    public SimulatedRack(IReadOnlyList<SpecPowerCurve> curves, SimulatedRackOptions options, ManualClock clock)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(options);
        if (curves.Count == 0)
        {
            throw new ArgumentException("a rack needs at least one power curve", nameof(curves));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ServerCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.StepMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxEnergyRangeMicrojoules);
        Options = options;
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ServerModel model = options.Model ?? ServerModel.Default;
        _servers = new SimulatedServer[options.ServerCount];
        for (int i = 0; i < _servers.Length; i++)
        {
            _servers[i] = new SimulatedServer(i, $"server-{i:D2}", curves[i % curves.Count], model, options.InletCelsius, options.MaxEnergyRangeMicrojoules);
        }

        PinValue outletOn = options.OutletsActiveLow ? PinValue.Low : PinValue.High;
        _gpio = new SimulatedGpioDriver("sim-gpiochip0", options.ServerCount, options.StartRunning ? outletOn : !outletOn);
        _gpio.LineChanged += (line, level) => _servers[line].SetAcPower((level == PinValue.High) != options.OutletsActiveLow);
        Outlets = new GpioController(_gpio);
        foreach (SimulatedServer server in _servers)
        {
            server.PowerOnWhenAcRestored = options.StartRunning;
            server.SetAcPower(options.StartRunning);
            if (options.StartRunning)
            {
                server.Step(model.BootTime.TotalSeconds);
            }

            server.PowerOnWhenAcRestored = true;
        }

        _views = _servers.Select(s => new ServerView(s)).ToArray();
        OutletLines = Enumerable.Range(0, options.ServerCount).ToArray();
    }

    /// <summary>Builds a rack from a curve file (<c>specpower_curves.csv</c>).</summary>
    public static SimulatedRack FromCurveFile(string curvePath, SimulatedRackOptions options, ManualClock clock) =>
        new(SpecPowerCurveParser.Load(curvePath), options, clock);

    /// <summary>The options.</summary>
    public SimulatedRackOptions Options { get; }

    /// <summary>The rack's clock.</summary>
    public ManualClock Clock { get; }

    /// <summary>The simulated servers.</summary>
    public IReadOnlyList<SimulatedServer> SimulatedServers => _servers;

    /// <summary>The simulated GPIO chip of the outlets.</summary>
    public SimulatedGpioDriver OutletChip => _gpio;

    /// <inheritdoc/>
    public IReadOnlyList<IServerHardware> Servers => _views;

    /// <inheritdoc/>
    public GpioController Outlets { get; }

    GpioController? IRackHardware.Outlets => Outlets;

    /// <inheritdoc/>
    public IReadOnlyList<int> OutletLines { get; }

    /// <summary>Total wall power of the rack now.</summary>
    public double TotalPowerWatts => _servers.Sum(s => s.PowerWatts);

    /// <summary>Advances the clock and every server by <paramref name="duration"/>, in fixed steps.</summary>
    public void Advance(TimeSpan duration)
    {
        TimeSpan step = TimeSpan.FromMilliseconds(Options.StepMilliseconds);
        while (duration > TimeSpan.Zero)
        {
            TimeSpan dt = duration < step ? duration : step;
            Clock.Advance(dt);
            foreach (SimulatedServer server in _servers)
            {
                server.Step(dt.TotalSeconds);
            }

            duration -= dt;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Outlets.Dispose();

    private sealed class ServerView(SimulatedServer server) : IServerHardware
    {
        public string Name => server.Name;

        public IReadOnlyList<IPowerCapZone> PowerCapZones { get; } = [server.PackageZone];

        public IReadOnlyList<ICpuFreqPolicy> CpuFreqPolicies { get; } = [server.CpuFreq];

        public IReadOnlyList<IFan> Fans { get; } = [.. server.Fans];

        public IReadOnlyList<ITemperatureSensor> Temperatures { get; } = [server.InletSensor, server.CpuSensor];

        public IBmc? Bmc => server.Bmc;
    }
}
