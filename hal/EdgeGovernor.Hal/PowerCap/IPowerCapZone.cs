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

/// <summary>The static description of one constraint.</summary>
/// <param name="Index">K in <c>constraint_K_*</c>.</param>
/// <param name="Name"><c>long_term</c>, <c>short_term</c> or <c>peak_power</c>.</param>
/// <param name="MaxPowerMicrowatts">From <c>constraint_K_max_power_uw</c>; null when the kernel does not provide it.</param>
public sealed record PowerCapConstraintInfo(int Index, string Name, long? MaxPowerMicrowatts)
{
    /// <summary>The kernel's name of the long-term (PL1) constraint.</summary>
    public const string LongTerm = "long_term";

    /// <summary>The kernel's name of the short-term (PL2) constraint.</summary>
    public const string ShortTerm = "short_term";

    /// <summary>Largest time window the layer writes (RAPL encodes windows up to tens of seconds; 1000 s is a sanity bound).</summary>
    public const long MaxTimeWindowMicroseconds = 1_000_000_000;
}

/// <summary>Helpers over <see cref="IPowerCapZone"/>.</summary>
public static class PowerCapZoneExtensions
{
    /// <summary>Index of the constraint named <paramref name="name"/>, or -1.</summary>
    public static int FindConstraint(this IPowerCapZone zone, string name)
    {
        IReadOnlyList<PowerCapConstraintInfo> constraints = zone.Constraints;
        for (int i = 0; i < constraints.Count; i++)
        {
            if (constraints[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Validates a power limit against the constraint's range (shared by every implementation).</summary>
    public static void ValidatePowerLimit(this IPowerCapZone zone, int constraint, long microwatts)
    {
        PowerCapConstraintInfo info = zone.GetConstraint(constraint);
        long max = info.MaxPowerMicrowatts ?? long.MaxValue;
        if (microwatts < 1 || microwatts > max)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id + "/constraint_" + constraint + "_power_limit_uw", "power limit (uW)", microwatts, 1, max);
        }
    }

    /// <summary>Validates a time window (1 us .. <see cref="PowerCapConstraintInfo.MaxTimeWindowMicroseconds"/>).</summary>
    public static void ValidateTimeWindow(this IPowerCapZone zone, int constraint, long microseconds)
    {
        zone.GetConstraint(constraint);
        if (microseconds < 1 || microseconds > PowerCapConstraintInfo.MaxTimeWindowMicroseconds)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id + "/constraint_" + constraint + "_time_window_us", "time window (us)", microseconds, 1, PowerCapConstraintInfo.MaxTimeWindowMicroseconds);
        }
    }

    /// <summary>The constraint at <paramref name="constraint"/>, or an <see cref="HalErrorKind.OutOfRange"/> error.</summary>
    public static PowerCapConstraintInfo GetConstraint(this IPowerCapZone zone, int constraint)
    {
        if ((uint)constraint >= (uint)zone.Constraints.Count)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id, $"zone {zone.Id} has no constraint {constraint} (it has {zone.Constraints.Count})");
        }

        return zone.Constraints[constraint];
    }
}
