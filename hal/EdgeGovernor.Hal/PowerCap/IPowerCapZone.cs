namespace EdgeGovernor.Hal.PowerCap;

/// <summary>
/// A power-capping zone (Linux powercap class, e.g. Intel RAPL <c>package-0</c> or its <c>dram</c> subzone).
/// Units are the kernel's: microjoules, microwatts, microseconds. Reads allocate nothing; a zone whose
/// firmware locked the limits refuses writes with <see cref="HalErrorKind.Locked"/>.
/// </summary>
public interface IPowerCapZone
{
    /// <summary>The zone's identity, e.g. <c>intel-rapl:0</c> or <c>intel-rapl:0:1</c>.</summary>
    string Id { get; }

    /// <summary>The zone's name file, e.g. <c>package-0</c>, <c>core</c>, <c>dram</c>, <c>psys</c>.</summary>
    string Name { get; }

    /// <summary>The value at which <see cref="ReadEnergyMicrojoules"/> wraps back to 0 (<c>max_energy_range_uj</c>).</summary>
    long MaxEnergyRangeMicrojoules { get; }

    /// <summary>The constraints (power limits) of the zone, in the kernel's order: 0 is long_term, 1 short_term, ...</summary>
    IReadOnlyList<PowerCapConstraintInfo> Constraints { get; }

    /// <summary>True once a write was refused because the firmware locked the zone's limits.</summary>
    bool IsLocked { get; }

    /// <summary>Reads the raw energy counter (<c>energy_uj</c>); it wraps at <see cref="MaxEnergyRangeMicrojoules"/>.
    /// Use an <see cref="EnergyCounter"/> to accumulate across wraps.</summary>
    long ReadEnergyMicrojoules();

    /// <summary>Reads whether power limiting is enabled (<c>enabled</c>).</summary>
    bool ReadEnabled();

    /// <summary>Enables or disables power limiting; records the previous state first.</summary>
    void SetEnabled(bool enabled);

    /// <summary>Reads a constraint's power limit in microwatts.</summary>
    long ReadPowerLimitMicrowatts(int constraint);

    /// <summary>Reads a constraint's time window in microseconds.</summary>
    long ReadTimeWindowMicroseconds(int constraint);

    /// <summary>Sets a constraint's power limit; refuses values outside 1..<see cref="PowerCapConstraintInfo.MaxPowerMicrowatts"/>.</summary>
    void SetPowerLimitMicrowatts(int constraint, long microwatts);

    /// <summary>Sets a constraint's time window; refuses values outside the accepted range.</summary>
    void SetTimeWindowMicroseconds(int constraint, long microseconds);
}
