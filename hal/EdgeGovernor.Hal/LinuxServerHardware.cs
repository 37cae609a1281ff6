using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal;

/// <summary>
/// The hardware of one Linux machine found under a <see cref="SysfsRoot"/>: its powercap zones, cpufreq
/// policies and hwmon fans and temperatures, optionally with a BMC (the IPMI client) to reach it.
/// </summary>
public sealed class LinuxServerHardware : IServerHardware, IDisposable
{
    private readonly IReadOnlyList<SysfsPowerCapZone> _zones;
    private readonly IReadOnlyList<SysfsCpuFreqPolicy> _policies;
    private readonly IReadOnlyList<SysfsHwmonDevice> _hwmon;

    private LinuxServerHardware(string name, IReadOnlyList<SysfsPowerCapZone> zones, IReadOnlyList<SysfsCpuFreqPolicy> policies, IReadOnlyList<SysfsHwmonDevice> hwmon, IBmc? bmc)
    {
        Name = name;
        _zones = zones;
        _policies = policies;
        _hwmon = hwmon;
        Bmc = bmc;
        Fans = hwmon.SelectMany(h => h.Fans).ToArray();
        Temperatures = hwmon.SelectMany(h => h.Temperatures).ToArray();
    }

    /// <summary>Discovers everything under <paramref name="root"/>; actuators record originals in <paramref name="journal"/>.</summary>
    public static LinuxServerHardware Discover(SysfsRoot root, string name, ActuatorStateJournal? journal = null, IBmc? bmc = null) =>
        new(name, SysfsPowerCapZone.Discover(root, journal), SysfsCpuFreqPolicy.Discover(root, journal), SysfsHwmonDevice.Discover(root, journal), bmc);

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<IPowerCapZone> PowerCapZones => _zones;

    /// <inheritdoc/>
    public IReadOnlyList<ICpuFreqPolicy> CpuFreqPolicies => _policies;

    /// <inheritdoc/>
    public IReadOnlyList<IFan> Fans { get; }

    /// <inheritdoc/>
    public IReadOnlyList<ITemperatureSensor> Temperatures { get; }

    /// <inheritdoc/>
    public IBmc? Bmc { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (SysfsPowerCapZone zone in _zones)
        {
            zone.Dispose();
        }

        foreach (SysfsCpuFreqPolicy policy in _policies)
        {
            policy.Dispose();
        }

        foreach (SysfsHwmonDevice device in _hwmon)
        {
            device.Dispose();
        }
    }
}
