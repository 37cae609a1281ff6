using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal.Hwmon;

/// <summary>A hwmon fan: <c>pwmN</c>, <c>pwmN_enable</c>, <c>fanN_input</c>.</summary>
public sealed class SysfsFan : IFan, IDisposable
{
    private readonly SysfsAttribute? _pwm;
    private readonly SysfsAttribute? _enable;
    private readonly SysfsAttribute? _tach;
    private readonly ActuatorStateJournal? _journal;

    internal SysfsFan(string name, string directory, int index, ActuatorStateJournal? journal)
    {
        Name = name;
        _journal = journal;
        _pwm = Optional(Path.Combine(directory, $"pwm{index}"));
        _enable = Optional(Path.Combine(directory, $"pwm{index}_enable"));
        _tach = Optional(Path.Combine(directory, $"fan{index}_input"));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool HasTachometer => _tach is not null;

    /// <inheritdoc/>
    public int ReadRpm()
    {
        long rpm = Required(_tach, "fan_input").ReadInt64();
        if (rpm is < 0 or > 1_000_000)
        {
            throw new HalException(HalErrorKind.Garbage, $"{_tach!.Path} holds {rpm} RPM", _tach.Path);
        }

        return (int)rpm;
    }

    /// <inheritdoc/>
    public int ReadDuty()
    {
        long duty = Required(_pwm, "pwm").ReadInt64();
        if (duty is < 0 or > FanValidation.MaxDuty)
        {
            throw new HalException(HalErrorKind.Garbage, $"{_pwm!.Path} holds {duty}; the kernel writes 0..255", _pwm.Path);
        }

        return (int)duty;
    }

    /// <inheritdoc/>
    public FanControlMode ReadMode()
    {
        long mode = Required(_enable, "pwm_enable").ReadInt64();
        return mode switch
        {
            0 => FanControlMode.FullSpeed,
            1 => FanControlMode.Manual,
            >= 2 and <= 7 => FanControlMode.Automatic,
            _ => throw new HalException(HalErrorKind.Garbage, $"{_enable!.Path} holds {mode}; not a pwm_enable mode", _enable.Path),
        };
    }

    /// <inheritdoc/>
    public void SetMode(FanControlMode mode)
    {
        FanValidation.ValidateMode(Name, mode);
        SysfsActuation.Write(Required(_enable, "pwm_enable"), (long)mode, _journal);
    }

    /// <inheritdoc/>
    public void SetDuty(int duty)
    {
        FanValidation.ValidateDuty(Name, duty);
        SysfsActuation.Write(Required(_pwm, "pwm"), duty, _journal);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _pwm?.Dispose();
        _enable?.Dispose();
        _tach?.Dispose();
    }

    private SysfsAttribute Required(SysfsAttribute? attribute, string what) =>
        attribute ?? throw new HalException(HalErrorKind.Missing, $"fan {Name} has no {what} attribute", Name);

    private static SysfsAttribute? Optional(string path) => File.Exists(path) || System.IO.Directory.Exists(path) ? new SysfsAttribute(path) : null;
}
