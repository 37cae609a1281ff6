using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;

namespace EdgeGovernor.Hal;

/// <summary>
/// Samples every energy counter, temperature, fan speed and power monitor of a rack into arrays it owns, allocation-free in
/// steady state. A failed read does not stop the sample: the previous value stays, the failure is counted
/// and its kind kept in <see cref="LastError"/>, so the control loop carries on and can act on it.
/// </summary>
public sealed class RackSampler
{
    private readonly IPowerCapZone[] _zones;
    private readonly EnergyCounter[] _counters;
    private readonly ITemperatureSensor[] _sensors;
    private readonly IFan[] _fans;
    private readonly IPowerMonitor[] _monitors;

    /// <summary>Collects the sensors of <paramref name="servers"/>, in rack order, then the board's add-on
    /// <paramref name="temperatures"/> (e.g. an inlet sensor on I2C) and <paramref name="powerMonitors"/>.</summary>
    public RackSampler(IEnumerable<IServerHardware> servers, IEnumerable<ITemperatureSensor>? temperatures = null, IEnumerable<IPowerMonitor>? powerMonitors = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        IServerHardware[] list = servers.ToArray();
        _zones = list.SelectMany(s => s.PowerCapZones).ToArray();
        _counters = _zones.Select(z => new EnergyCounter(z.MaxEnergyRangeMicrojoules)).ToArray();
        _sensors = [.. list.SelectMany(s => s.Temperatures), .. temperatures ?? []];
        _fans = list.SelectMany(s => s.Fans).Where(f => f.HasTachometer).ToArray();
        _monitors = [.. powerMonitors ?? []];
        EnergyMicrojoules = new long[_zones.Length];
        TemperaturesMillidegrees = new int[_sensors.Length];
        FanRpm = new int[_fans.Length];
        Electrical = new ElectricalReading[_monitors.Length];
        ElectricalValid = new bool[_monitors.Length];
    }

    /// <summary>Energy accumulated per zone since the first sample (wrap-around handled), in microjoules.</summary>
    public long[] EnergyMicrojoules { get; }

    /// <summary>Latest temperature per sensor, in millidegrees Celsius.</summary>
    public int[] TemperaturesMillidegrees { get; }

    /// <summary>Latest speed per fan with a tachometer.</summary>
    public int[] FanRpm { get; }

    /// <summary>Latest reading per power monitor (the previous one stays when a read fails).</summary>
    public ElectricalReading[] Electrical { get; }

    /// <summary>Per power monitor: true once a read succeeded, false until then.</summary>
    public bool[] ElectricalValid { get; }

    /// <summary>The power monitors, in the order of <see cref="Electrical"/>.</summary>
    public IReadOnlyList<IPowerMonitor> PowerMonitors => _monitors;

    /// <summary>The zones, in the order of <see cref="EnergyMicrojoules"/>.</summary>
    public IReadOnlyList<IPowerCapZone> Zones => _zones;

    /// <summary>Number of samples taken.</summary>
    public long Samples { get; private set; }

    /// <summary>Number of reads that failed, over all samples.</summary>
    public long Failures { get; private set; }

    /// <summary>The most recent failure, or null.</summary>
    public HalException? LastError { get; private set; }

    /// <summary>Reads everything once. Returns the number of reads that failed in this sample.</summary>
    public int Sample()
    {
        int failures = 0;
        for (int i = 0; i < _zones.Length; i++)
        {
            try
            {
                _counters[i].Update(_zones[i].ReadEnergyMicrojoules());
                EnergyMicrojoules[i] = _counters[i].TotalMicrojoules;
            }
            catch (HalException e)
            {
                failures++;
                LastError = e;
            }
        }

        for (int i = 0; i < _sensors.Length; i++)
        {
            try
            {
                TemperaturesMillidegrees[i] = _sensors[i].ReadMillidegreesCelsius();
            }
            catch (HalException e)
            {
                failures++;
                LastError = e;
            }
        }

        for (int i = 0; i < _fans.Length; i++)
        {
            try
            {
                FanRpm[i] = _fans[i].ReadRpm();
            }
            catch (HalException e)
            {
                failures++;
                LastError = e;
            }
        }

        for (int i = 0; i < _monitors.Length; i++)
        {
            try
            {
                Electrical[i] = _monitors[i].Read();
                ElectricalValid[i] = true;
            }
            catch (HalException e)
            {
                failures++;
                LastError = e;
            }
        }

        Samples++;
        Failures += failures;
        return failures;
    }
}
