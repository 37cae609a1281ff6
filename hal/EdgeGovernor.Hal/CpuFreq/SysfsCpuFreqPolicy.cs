using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal.CpuFreq;

/// <summary>
/// A cpufreq policy through sysfs: <c>/sys/devices/system/cpu/cpufreq/policyN/{scaling_*,cpuinfo_*,energy_performance_*}</c>.
/// </summary>
public sealed class SysfsCpuFreqPolicy : ICpuFreqPolicy, IDisposable
{
    private readonly SysfsAttribute _current;
    private readonly SysfsAttribute _min;
    private readonly SysfsAttribute _max;
    private readonly SysfsAttribute _governor;
    private readonly SysfsAttribute? _epp;
    private readonly ActuatorStateJournal? _journal;

    /// <summary>Opens the policy in <paramref name="directory"/> and reads its static attributes.</summary>
    public SysfsCpuFreqPolicy(string directory, ActuatorStateJournal? journal = null)
    {
        Directory = directory;
        Name = Path.GetFileName(directory.TrimEnd('/'));
        _journal = journal;
        HardwareMinKhz = ReadOnce("cpuinfo_min_freq");
        HardwareMaxKhz = ReadOnce("cpuinfo_max_freq");
        if (HardwareMinKhz <= 0 || HardwareMaxKhz < HardwareMinKhz)
        {
            throw new HalException(HalErrorKind.Garbage, $"{directory}: cpuinfo_min_freq {HardwareMinKhz} / cpuinfo_max_freq {HardwareMaxKhz} are not a frequency range", directory);
        }

        AvailableFrequenciesKhz = ReadListOnce("scaling_available_frequencies")
            .Select(f => SysfsFormat.TryParseInt64(System.Text.Encoding.ASCII.GetBytes(f), out long v) && v > 0
                ? v
                : throw new HalException(HalErrorKind.Garbage, $"{Attr("scaling_available_frequencies")} lists '{f}', not a frequency", Attr("scaling_available_frequencies")))
            .Order()
            .ToArray();
        AvailableGovernors = ReadListOnce("scaling_available_governors");
        AvailableEnergyPerformancePreferences = ReadListOnce("energy_performance_available_preferences");
        _current = new SysfsAttribute(Attr("scaling_cur_freq"));
        _min = new SysfsAttribute(Attr("scaling_min_freq"));
        _max = new SysfsAttribute(Attr("scaling_max_freq"));
        _governor = new SysfsAttribute(Attr("scaling_governor"));
        _epp = File.Exists(Attr("energy_performance_preference")) ? new SysfsAttribute(Attr("energy_performance_preference")) : null;
    }

    /// <summary>The policy's sysfs directory.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long HardwareMinKhz { get; }

    /// <inheritdoc/>
    public long HardwareMaxKhz { get; }

    /// <inheritdoc/>
    public IReadOnlyList<long> AvailableFrequenciesKhz { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> AvailableGovernors { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> AvailableEnergyPerformancePreferences { get; }

    /// <inheritdoc/>
    public long ReadCurrentKhz() => _current.ReadInt64();

    /// <inheritdoc/>
    public long ReadMinKhz() => _min.ReadInt64();

    /// <inheritdoc/>
    public long ReadMaxKhz() => _max.ReadInt64();

    /// <inheritdoc/>
    public string ReadGovernor() => _governor.ReadText();

    /// <inheritdoc/>
    public string? ReadEnergyPerformancePreference() => _epp?.ReadText();

    /// <inheritdoc/>
    public void SetLimitsKhz(long minKhz, long maxKhz)
    {
        CpuFreqValidation.ValidateLimits(this, minKhz, maxKhz);
        // Raise max before min and lower min before max, so the kernel never sees min > max.
        if (minKhz > ReadMaxKhz())
        {
            SysfsActuation.Write(_max, maxKhz, _journal);
            SysfsActuation.Write(_min, minKhz, _journal);
        }
        else
        {
            SysfsActuation.Write(_min, minKhz, _journal);
            SysfsActuation.Write(_max, maxKhz, _journal);
        }
    }

    /// <inheritdoc/>
    public void SetGovernor(string governor)
    {
        CpuFreqValidation.ValidateGovernor(this, governor);
        SysfsActuation.WriteText(_governor, governor, _journal);
    }

    /// <inheritdoc/>
    public void SetEnergyPerformancePreference(string preference)
    {
        CpuFreqValidation.ValidateEnergyPerformancePreference(this, preference);
        if (_epp is null)
        {
            // The driver lists preferences but has no energy_performance_preference file to write them to.
            throw new HalException(HalErrorKind.Missing, $"{Name} offers energy-performance preferences but has no {Attr("energy_performance_preference")}", Attr("energy_performance_preference"));
        }

        SysfsActuation.WriteText(_epp, preference, _journal);
    }

    /// <summary>Finds every <c>policyN</c> under <c>{root}/sys/devices/system/cpu/cpufreq</c>, in N order.</summary>
    public static IReadOnlyList<SysfsCpuFreqPolicy> Discover(SysfsRoot root, ActuatorStateJournal? journal = null)
    {
        if (!System.IO.Directory.Exists(root.CpuFreq))
        {
            return [];
        }

        return System.IO.Directory.GetDirectories(root.CpuFreq, "policy*")
            .Where(d => int.TryParse(Path.GetFileName(d).AsSpan("policy".Length), out _))
            .OrderBy(d => int.Parse(Path.GetFileName(d).AsSpan("policy".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(d => new SysfsCpuFreqPolicy(d, journal))
            .ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _current.Dispose();
        _min.Dispose();
        _max.Dispose();
        _governor.Dispose();
        _epp?.Dispose();
    }

    private long ReadOnce(string name)
    {
        using var attribute = new SysfsAttribute(Attr(name));
        return attribute.ReadInt64();
    }

    private string[] ReadListOnce(string name)
    {
        if (!File.Exists(Attr(name)))
        {
            return [];
        }

        using var attribute = new SysfsAttribute(Attr(name), SysfsAttribute.BufferSize);
        return SysfsFormat.SplitList(attribute.ReadText());
    }

    private string Attr(string name) => Path.Combine(Directory, name);
}
