using EdgeGovernor.Hal.CpuFreq;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// The simulated cpufreq policy: frequencies in 100 MHz steps, the usual governors and EPP names. Its
/// <c>scaling_max_freq</c> limits the server's work and dynamic power.
/// </summary>
public sealed class SimulatedCpuFreqPolicy : ICpuFreqPolicy
{
    private readonly SimulatedServer _server;
    private long _min;
    private long _max;
    private string _governor = "schedutil";
    private string _epp = "balance_performance";

    internal SimulatedCpuFreqPolicy(SimulatedServer server, string name, long minKhz, long maxKhz)
    {
        _server = server;
        Name = name;
        HardwareMinKhz = minKhz;
        HardwareMaxKhz = maxKhz;
        _min = minKhz;
        _max = maxKhz;
        var frequencies = new List<long>();
        for (long f = minKhz; f < maxKhz; f += 100_000)
        {
            frequencies.Add(f);
        }

        frequencies.Add(maxKhz);
        AvailableFrequenciesKhz = frequencies;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long HardwareMinKhz { get; }

    /// <inheritdoc/>
    public long HardwareMaxKhz { get; }

    /// <inheritdoc/>
    public IReadOnlyList<long> AvailableFrequenciesKhz { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> AvailableGovernors { get; } = ["performance", "powersave", "schedutil", "ondemand", "userspace"];

    /// <inheritdoc/>
    public IReadOnlyList<string> AvailableEnergyPerformancePreferences { get; } = ["default", "performance", "balance_performance", "balance_power", "power"];

    /// <inheritdoc/>
    public long ReadCurrentKhz() => _server.PowerState == ServerPowerState.On && _server.DeliveredUtilization > 0 ? _max : _min;

    /// <inheritdoc/>
    public long ReadMinKhz() => _min;

    /// <inheritdoc/>
    public long ReadMaxKhz() => _max;

    /// <inheritdoc/>
    public string ReadGovernor() => _governor;

    /// <inheritdoc/>
    public string? ReadEnergyPerformancePreference() => _epp;

    /// <inheritdoc/>
    public void SetLimitsKhz(long minKhz, long maxKhz)
    {
        CpuFreqValidation.ValidateLimits(this, minKhz, maxKhz);
        _min = minKhz;
        _max = maxKhz;
    }

    /// <inheritdoc/>
    public void SetGovernor(string governor)
    {
        CpuFreqValidation.ValidateGovernor(this, governor);
        _governor = governor;
    }

    /// <inheritdoc/>
    public void SetEnergyPerformancePreference(string preference)
    {
        CpuFreqValidation.ValidateEnergyPerformancePreference(this, preference);
        _epp = preference;
    }
}
