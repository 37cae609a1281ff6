namespace EdgeGovernor.Hal.CpuFreq;

/// <summary>
/// A cpufreq policy (a group of CPUs that share a clock). Frequencies in kHz as the kernel gives them.
/// Writes outside <see cref="HardwareMinKhz"/>..<see cref="HardwareMaxKhz"/>, unknown governors and unknown
/// energy-performance preferences are refused with <see cref="HalErrorKind.OutOfRange"/>.
/// </summary>
public interface ICpuFreqPolicy
{
    /// <summary>The policy name, e.g. <c>policy0</c>.</summary>
    string Name { get; }

    /// <summary><c>cpuinfo_min_freq</c>.</summary>
    long HardwareMinKhz { get; }

    /// <summary><c>cpuinfo_max_freq</c>.</summary>
    long HardwareMaxKhz { get; }

    /// <summary><c>scaling_available_frequencies</c> in kHz, empty where the driver has none (intel_pstate).</summary>
    IReadOnlyList<long> AvailableFrequenciesKhz { get; }

    /// <summary><c>scaling_available_governors</c>.</summary>
    IReadOnlyList<string> AvailableGovernors { get; }

    /// <summary><c>energy_performance_available_preferences</c>; empty when the driver has no EPP.</summary>
    IReadOnlyList<string> AvailableEnergyPerformancePreferences { get; }

    /// <summary>Reads <c>scaling_cur_freq</c>.</summary>
    long ReadCurrentKhz();

    /// <summary>Reads <c>scaling_min_freq</c>.</summary>
    long ReadMinKhz();

    /// <summary>Reads <c>scaling_max_freq</c>.</summary>
    long ReadMaxKhz();

    /// <summary>Reads <c>scaling_governor</c>.</summary>
    string ReadGovernor();

    /// <summary>Reads <c>energy_performance_preference</c>, or null when the driver has none.</summary>
    string? ReadEnergyPerformancePreference();

    /// <summary>Sets <c>scaling_min_freq</c> and <c>scaling_max_freq</c> together, in the order that keeps min &lt;= max throughout.</summary>
    void SetLimitsKhz(long minKhz, long maxKhz);

    /// <summary>Sets <c>scaling_governor</c>.</summary>
    void SetGovernor(string governor);

    /// <summary>Sets <c>energy_performance_preference</c> (one of the available names).</summary>
    void SetEnergyPerformancePreference(string preference);
}
