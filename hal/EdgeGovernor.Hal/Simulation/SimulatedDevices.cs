using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// The simulated RAPL package zone of a server. Its energy counter wraps at <see cref="MaxEnergyRangeMicrojoules"/>
/// like the kernel's; its long-term limit caps the server's power while enabled. Range checks are those of
/// the sysfs zone; <see cref="Locked"/> makes writes fail as a BIOS-locked zone does.
/// </summary>
public sealed class SimulatedPowerCapZone : IPowerCapZone
{
    private readonly SimulatedServer _server;
    private readonly long[] _limits;
    private readonly long[] _windows;
    private bool _enabled = true;

    internal SimulatedPowerCapZone(SimulatedServer server, string id, string name, long maxEnergyRangeMicrojoules)
    {
        _server = server;
        Id = id;
        Name = name;
        MaxEnergyRangeMicrojoules = maxEnergyRangeMicrojoules;
        long max = (long)Math.Ceiling(server.Curve.MaxWatts * 1e6);
        Constraints =
        [
            new PowerCapConstraintInfo(0, PowerCapConstraintInfo.LongTerm, max),
            new PowerCapConstraintInfo(1, PowerCapConstraintInfo.ShortTerm, max),
        ];
        _limits = [max, max];
        _windows = [1_000_000, 2_440];
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long MaxEnergyRangeMicrojoules { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PowerCapConstraintInfo> Constraints { get; }

    /// <summary>When true, every write fails with <see cref="HalErrorKind.Locked"/>, as on a BIOS-locked platform.</summary>
    public bool Locked { get; set; }

    /// <inheritdoc/>
    public bool IsLocked { get; private set; }

    /// <inheritdoc/>
    public long ReadEnergyMicrojoules() => _server.EnergyMicrojoulesTotal % MaxEnergyRangeMicrojoules;

    /// <inheritdoc/>
    public bool ReadEnabled() => _enabled;

    /// <inheritdoc/>
    public void SetEnabled(bool enabled)
    {
        RefuseIfLocked();
        _enabled = enabled;
    }

    /// <inheritdoc/>
    public long ReadPowerLimitMicrowatts(int constraint) => _limits[this.GetConstraint(constraint).Index];

    /// <inheritdoc/>
    public long ReadTimeWindowMicroseconds(int constraint) => _windows[this.GetConstraint(constraint).Index];

    /// <inheritdoc/>
    public void SetPowerLimitMicrowatts(int constraint, long microwatts)
    {
        this.ValidatePowerLimit(constraint, microwatts);
        RequireEnabled();
        RefuseIfLocked();
        _limits[constraint] = microwatts;
    }

    /// <inheritdoc/>
    public void SetTimeWindowMicroseconds(int constraint, long microseconds)
    {
        this.ValidateTimeWindow(constraint, microseconds);
        RequireEnabled();
        RefuseIfLocked();
        _windows[constraint] = microseconds;
    }

    private void RequireEnabled()
    {
        if (!_enabled)
        {
            throw new HalException(HalErrorKind.Disabled, $"power limiting of {Id} ({Name}) is disabled", Id);
        }
    }

    private void RefuseIfLocked()
    {
        if (Locked)
        {
            IsLocked = true;
            throw new HalException(HalErrorKind.Locked, $"{Id} ({Name}) is locked by the firmware", Id, Interop.Errno.EACCES);
        }
    }
}

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

/// <summary>
/// A simulated fan: duty (0..255) to target speed (linear to <see cref="MaxRpm"/>, stalled below 10 % duty),
/// reached with a 2 s first-order lag. In automatic mode the fan follows the heat sink temperature
/// (30 % duty at 40 °C or below, 100 % at 75 °C or above).
/// </summary>
public sealed class SimulatedFan : IFan
{
    private const double SpinTimeConstantSeconds = 2;
    private const int StallDuty = 26;
    private FanControlMode _mode = FanControlMode.Automatic;
    private int _manualDuty = 128;
    private int _automaticDuty = 77;
    private double _rpm;

    internal SimulatedFan(string name, int maxRpm)
    {
        Name = name;
        MaxRpm = maxRpm;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Speed at full duty.</summary>
    public int MaxRpm { get; }

    /// <summary>Current speed.</summary>
    public int Rpm => (int)Math.Round(_rpm);

    /// <inheritdoc/>
    public bool HasTachometer => true;

    /// <inheritdoc/>
    public int ReadRpm() => Rpm;

    /// <inheritdoc/>
    public int ReadDuty() => _mode switch
    {
        FanControlMode.FullSpeed => FanValidation.MaxDuty,
        FanControlMode.Manual => _manualDuty,
        _ => _automaticDuty,
    };

    /// <inheritdoc/>
    public FanControlMode ReadMode() => _mode;

    /// <inheritdoc/>
    public void SetMode(FanControlMode mode)
    {
        FanValidation.ValidateMode(Name, mode);
        _mode = mode;
    }

    /// <inheritdoc/>
    public void SetDuty(int duty)
    {
        FanValidation.ValidateDuty(Name, duty);
        _manualDuty = duty;
    }

    internal void Step(double seconds, double heatSinkCelsius, bool powered)
    {
        _automaticDuty = (int)Math.Round(FanValidation.MaxDuty * Math.Clamp(0.3 + (0.7 * (heatSinkCelsius - 40) / 35), 0.3, 1.0));
        int duty = ReadDuty();
        double target = !powered || duty < StallDuty ? 0 : MaxRpm * duty / (double)FanValidation.MaxDuty;
        _rpm += (target - _rpm) * (1 - Math.Exp(-seconds / SpinTimeConstantSeconds));
    }
}

/// <summary>A simulated temperature sensor reading a value of the model.</summary>
public sealed class SimulatedTemperatureSensor(string name, Func<double> celsius) : ITemperatureSensor
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public int ReadMillidegreesCelsius() => (int)Math.Round(celsius() * 1000);
}
