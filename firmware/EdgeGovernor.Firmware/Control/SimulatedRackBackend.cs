using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The simulated backend of <see cref="RackController"/> (<c>rack.hardware = "simulated"</c>, the embedded default):
/// hal/'s <see cref="SimulatedRack"/> with one generic SPECpower-like curve per server scaled to its
/// <c>maxCapWatts</c>, run in wall time (each <see cref="Sample"/> advances it by the wall time passed, at most
/// 10 s). Caps go to each server's RAPL package zone, power switches through its BMC's chassis control (boot time
/// = the longest configured <c>bootSeconds</c> of an unprotected group / acceleration), the asked work becomes the
/// server's demand. It is not journalled: it starts fresh on every run, every server on and uncapped.
/// </summary>
internal sealed class SimulatedRackBackend : IRackBackend
{
    private readonly Logger? _log;
    private readonly string[] _names;
    private readonly double[] _capMax;
    private readonly double[] _asked;
    private readonly double[] _sensitivity;
    private long _errors;
    private bool _errorLogged;

    /// <summary>Builds the simulated rack of <paramref name="config"/>'s servers.</summary>
    public SimulatedRackBackend(FirmwareConfig config, Logger? log)
    {
        ArgumentNullException.ThrowIfNull(config);
        _log = log;
        var curves = new List<SpecPowerCurve>();
        var names = new List<string>();
        var capMax = new List<double>();
        double longestBoot = 0;
        foreach (ServerConfig s in config.Rack.Servers)
        {
            longestBoot = Math.Max(longestBoot, s.Protected ? 0 : s.BootSeconds);
            double[] watts = RackSpecBuilder.GenericCurve(s.MaxCapWatts);
            for (int k = 0; k < s.Count; k++)
            {
                curves.Add(new SpecPowerCurve(s.Model, "", watts));
                names.Add($"{s.Name}-{k}");
                capMax.Add(s.MaxCapWatts);
            }
        }
        _names = [.. names];
        _capMax = [.. capMax];
        _asked = new double[_names.Length];
        _sensitivity = new double[_names.Length];

        // Boot and shutdown are given in market time; the simulated rack runs in wall time.
        double acceleration = Math.Max(1, config.PriceFeed.Acceleration);
        var model = ServerModel.Default with
        {
            BootTime = TimeSpan.FromSeconds(Math.Max(longestBoot, 1) / acceleration),
            ShutdownTime = TimeSpan.FromSeconds(30 / acceleration),
        };
        Rack = new SimulatedRack(curves, new SimulatedRackOptions(ServerCount: _names.Length, InletCelsius: config.Rack.InletTemperatureC, StepMilliseconds: 250, Model: model), new ManualClock());
        for (int i = 0; i < _names.Length; i++)
        {
            SimulatedServer server = Rack.SimulatedServers[i];
            server.PackageZone.SetEnabled(true);
            server.PackageZone.SetPowerLimitMicrowatts(0, (long)(_capMax[i] * 1e6));
        }
    }

    /// <summary>The simulated rack, for tests and diagnostics.</summary>
    public SimulatedRack Rack { get; }

    /// <inheritdoc/>
    public long Errors => _errors;

    /// <inheritdoc/>
    public HardwareCounters Counters => default;

    /// <inheritdoc/>
    public OperatorInputs? Inputs => null;

    /// <inheritdoc/>
    public bool CanSwitch(int server) => true;

    /// <inheritdoc/>
    public bool PoweredAtStart(int server) => true;

    /// <inheritdoc/>
    public double Sample(double wallSeconds)
    {
        if (wallSeconds > 0)
        {
            Rack.Advance(TimeSpan.FromSeconds(Math.Min(wallSeconds, 10)));
        }
        double hottest = double.MinValue;
        for (int i = 0; i < _names.Length; i++)
        {
            hottest = Math.Max(hottest, TemperatureC(i));
        }
        return hottest;
    }

    /// <summary>
    /// Draw and power state of the server; work done = the load the cap let through as a fraction of full throughput
    /// (I/O-bound work up to 1 - s needs no power above idle), never more than was asked for (0 unless running).
    /// </summary>
    public ServerSample Server(int server)
    {
        SimulatedServer s = Rack.SimulatedServers[server];
        bool running = s.PowerState == ServerPowerState.On;
        double asked = _asked[server];
        double sens = _sensitivity[server];
        double work = !running || asked <= 0 ? 0 : Math.Min(asked, 1 - sens + (sens * s.DeliveredUtilization));
        return new ServerSample(s.PowerWatts, running, work);
    }

    /// <summary>The server's CPU sensor.</summary>
    public double TemperatureC(int server) => Rack.SimulatedServers[server].CpuSensor.ReadMillidegreesCelsius() / 1000.0;

    /// <summary>The long-term limit of the server's package zone.</summary>
    public void SetCap(int server, double watts) => Rack.SimulatedServers[server].PackageZone.SetPowerLimitMicrowatts(0, (long)(watts * 1e6));

    /// <summary>
    /// The server's demand: the load level (0..1 of its power curve) at which it does <paramref name="asked"/> of its
    /// full throughput, the policy's model x = 1 - s + s*u for a class of CPU sensitivity s.
    /// </summary>
    public void SetWorkload(int server, double asked, double sensitivity)
    {
        _asked[server] = asked;
        _sensitivity[server] = sensitivity;
        Rack.SimulatedServers[server].Demand = sensitivity <= 0 ? 0 : Math.Clamp((asked - (1 - sensitivity)) / sensitivity, 0, 1);
    }

    /// <summary>Raises every fan below <paramref name="minDuty"/> (the simulated fans do not distinguish modes).</summary>
    public int EnforceMinimumFanDuty(int minDuty)
    {
        int raised = 0;
        for (int i = 0; i < _names.Length; i++)
        {
            IReadOnlyList<SimulatedFan> fans = Rack.SimulatedServers[i].Fans;
            for (int f = 0; f < fans.Count; f++)
            {
                IFan fan = fans[f];
                if (fan.ReadDuty() < minDuty)
                {
                    fan.SetDuty(minDuty);
                    raised++;
                }
            }
        }
        return raised;
    }

    /// <summary>Soft off or power on through the server's simulated BMC; false when the BMC refuses (counted, logged once).</summary>
    public bool SetServerPower(int server, bool on)
    {
        try
        {
            ValueTask t = Rack.SimulatedServers[server].Bmc.ChassisControlAsync(on ? ChassisControl.PowerOn : ChassisControl.SoftOff);
            if (!t.IsCompletedSuccessfully)
            {
                t.AsTask().GetAwaiter().GetResult();
            }
            return true;
        }
        catch (BmcException e)
        {
            _errors++;
            if (!_errorLogged)
            {
                _errorLogged = true;
                _log?.Error($"{_names[server]}: BMC chassis control failed: {e.Message}");
            }
            return false;
        }
    }

    /// <summary>Every cap back to the server's maximum.</summary>
    public void Restore()
    {
        for (int i = 0; i < _names.Length; i++)
        {
            SetCap(i, _capMax[i]);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Rack.Dispose();
}
