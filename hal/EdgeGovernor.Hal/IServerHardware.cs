using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;

namespace EdgeGovernor.Hal;

/// <summary>What the firmware can sense and actuate on one server, whatever implements it.</summary>
public interface IServerHardware
{
    /// <summary>Name for logs.</summary>
    string Name { get; }

    /// <summary>Power-cap zones (RAPL packages and subzones).</summary>
    IReadOnlyList<IPowerCapZone> PowerCapZones { get; }

    /// <summary>cpufreq policies.</summary>
    IReadOnlyList<ICpuFreqPolicy> CpuFreqPolicies { get; }

    /// <summary>Fans.</summary>
    IReadOnlyList<IFan> Fans { get; }

    /// <summary>Temperature sensors.</summary>
    IReadOnlyList<ITemperatureSensor> Temperatures { get; }

    /// <summary>The server's BMC, when reachable.</summary>
    IBmc? Bmc { get; }
}
