using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal.PowerCap;

/// <summary>
/// A Linux powercap zone read and written through sysfs (<c>/sys/class/powercap/intel-rapl:N[:M]</c>):
/// <c>name</c>, <c>energy_uj</c>, <c>max_energy_range_uj</c>, <c>enabled</c> and
/// <c>constraint_K_{name,power_limit_uw,time_window_us,max_power_uw}</c>. The kernel refuses writes to a zone
/// the BIOS locked with EACCES; that becomes <see cref="HalErrorKind.Locked"/> and sets <see cref="IsLocked"/>.
/// </summary>
public sealed class SysfsPowerCapZone : IPowerCapZone, IDisposable
{
    private readonly SysfsAttribute _energy;
    private readonly SysfsAttribute _enabled;
    private readonly SysfsAttribute[] _powerLimits;
    private readonly SysfsAttribute[] _timeWindows;
    private readonly ActuatorStateJournal? _journal;

    /// <summary>Opens the zone in <paramref name="directory"/> and reads its static attributes.</summary>
    public SysfsPowerCapZone(string directory, ActuatorStateJournal? journal = null)
    {
        Directory = directory;
        Id = System.IO.Path.GetFileName(directory.TrimEnd('/'));
        _journal = journal;
        using (var name = new SysfsAttribute(Attr("name")))
        {
            Name = name.ReadText();
        }

        using (var range = new SysfsAttribute(Attr("max_energy_range_uj")))
        {
            MaxEnergyRangeMicrojoules = range.ReadInt64();
        }

        if (MaxEnergyRangeMicrojoules <= 0)
        {
            throw new HalException(HalErrorKind.Garbage, $"{Attr("max_energy_range_uj")} holds {MaxEnergyRangeMicrojoules}; expected a positive range", Attr("max_energy_range_uj"));
        }

        _energy = new SysfsAttribute(Attr("energy_uj"));
        _enabled = new SysfsAttribute(Attr("enabled"));

        var constraints = new List<PowerCapConstraintInfo>();
        for (int k = 0; File.Exists(Attr($"constraint_{k}_name")); k++)
        {
            using var name = new SysfsAttribute(Attr($"constraint_{k}_name"));
            long? max = null;
            if (File.Exists(Attr($"constraint_{k}_max_power_uw")))
            {
                using var maxPower = new SysfsAttribute(Attr($"constraint_{k}_max_power_uw"));
                max = maxPower.ReadInt64();
                if (max <= 0)
                {
                    max = null; // some platforms report 0: no maximum known.
                }
            }

            constraints.Add(new PowerCapConstraintInfo(k, name.ReadText(), max));
        }

        Constraints = constraints;
        _powerLimits = constraints.Select(c => new SysfsAttribute(Attr($"constraint_{c.Index}_power_limit_uw"))).ToArray();
        _timeWindows = constraints.Select(c => new SysfsAttribute(Attr($"constraint_{c.Index}_time_window_us"))).ToArray();
    }

    /// <summary>The zone's sysfs directory.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long MaxEnergyRangeMicrojoules { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PowerCapConstraintInfo> Constraints { get; }

    /// <inheritdoc/>
    public bool IsLocked { get; private set; }

    /// <inheritdoc/>
    public long ReadEnergyMicrojoules() => _energy.ReadInt64();

    /// <inheritdoc/>
    public bool ReadEnabled() => ReadFlag(_enabled);

    /// <inheritdoc/>
    public void SetEnabled(bool enabled) => Guard(() => SysfsActuation.Write(_enabled, enabled ? 1 : 0, _journal, accessDeniedMeansLocked: true));

    /// <inheritdoc/>
    public long ReadPowerLimitMicrowatts(int constraint)
    {
        this.GetConstraint(constraint);
        return _powerLimits[constraint].ReadInt64();
    }

    /// <inheritdoc/>
    public long ReadTimeWindowMicroseconds(int constraint)
    {
        this.GetConstraint(constraint);
        return _timeWindows[constraint].ReadInt64();
    }

    /// <inheritdoc/>
    public void SetPowerLimitMicrowatts(int constraint, long microwatts)
    {
        this.ValidatePowerLimit(constraint, microwatts);
        RequireEnabled();
        Guard(() => SysfsActuation.Write(_powerLimits[constraint], microwatts, _journal, accessDeniedMeansLocked: true));
    }

    /// <inheritdoc/>
    public void SetTimeWindowMicroseconds(int constraint, long microseconds)
    {
        this.ValidateTimeWindow(constraint, microseconds);
        RequireEnabled();
        Guard(() => SysfsActuation.Write(_timeWindows[constraint], microseconds, _journal, accessDeniedMeansLocked: true));
    }

    /// <summary>
    /// Finds every zone under <c>{root}/sys/class/powercap</c> whose name starts with <paramref name="prefix"/>
    /// (<c>intel-rapl</c> covers packages <c>intel-rapl:N</c> and subzones <c>intel-rapl:N:M</c>), sorted by id.
    /// </summary>
    public static IReadOnlyList<SysfsPowerCapZone> Discover(SysfsRoot root, ActuatorStateJournal? journal = null, string prefix = "intel-rapl:")
    {
        if (!System.IO.Directory.Exists(root.PowerCapClass))
        {
            return [];
        }

        return System.IO.Directory.GetFileSystemEntries(root.PowerCapClass, prefix + "*")
            .Order(StringComparer.Ordinal)
            .Select(d => new SysfsPowerCapZone(d, journal))
            .ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _energy.Dispose();
        _enabled.Dispose();
        foreach (SysfsAttribute a in _powerLimits)
        {
            a.Dispose();
        }

        foreach (SysfsAttribute a in _timeWindows)
        {
            a.Dispose();
        }
    }

    private void RequireEnabled()
    {
        if (!ReadEnabled())
        {
            throw new HalException(HalErrorKind.Disabled, $"power limiting of {Id} ({Name}) is disabled: a limit would not be enforced; enable the zone first", _enabled.Path);
        }
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (HalException e) when (e.Kind == HalErrorKind.Locked)
        {
            IsLocked = true;
            throw;
        }
    }

    private static bool ReadFlag(SysfsAttribute attribute)
    {
        long value = attribute.ReadInt64();
        if (value is not (0 or 1))
        {
            throw new HalException(HalErrorKind.Garbage, $"{attribute.Path} holds {value}; the kernel writes 0 or 1", attribute.Path);
        }

        return value == 1;
    }

    private string Attr(string name) => System.IO.Path.Combine(Directory, name);
}
