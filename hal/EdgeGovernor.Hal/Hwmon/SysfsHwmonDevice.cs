using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal.Hwmon;

/// <summary>
/// One hwmon device (<c>/sys/class/hwmon/hwmonN</c>) with its fans (<c>pwmN</c> paired with <c>fanN_input</c>)
/// and temperatures (<c>tempN_input</c>). Attributes are looked up in the device directory and, for older
/// drivers, in its <c>device/</c> subdirectory.
/// </summary>
public sealed class SysfsHwmonDevice : IDisposable
{
    private const int MaxIndex = 32;

    /// <summary>Opens the hwmon device in <paramref name="directory"/>.</summary>
    public SysfsHwmonDevice(string directory, ActuatorStateJournal? journal = null)
    {
        Directory = directory;
        string attributeDirectory = File.Exists(Path.Combine(directory, "name")) || !System.IO.Directory.Exists(Path.Combine(directory, "device"))
            ? directory
            : Path.Combine(directory, "device");
        using (var name = new SysfsAttribute(Path.Combine(attributeDirectory, "name")))
        {
            Name = name.ReadText();
        }

        var fans = new List<SysfsFan>();
        var temperatures = new List<SysfsTemperatureSensor>();
        for (int i = 1; i <= MaxIndex; i++)
        {
            string pwm = Path.Combine(attributeDirectory, $"pwm{i}");
            string tach = Path.Combine(attributeDirectory, $"fan{i}_input");
            if (File.Exists(pwm) || File.Exists(tach))
            {
                fans.Add(new SysfsFan($"{Name}/{(File.Exists(pwm) ? "pwm" : "fan")}{i}", attributeDirectory, i, journal));
            }

            string temp = Path.Combine(attributeDirectory, $"temp{i}_input");
            if (File.Exists(temp))
            {
                string label = Path.Combine(attributeDirectory, $"temp{i}_label");
                string sensorName = $"{Name}/temp{i}";
                if (File.Exists(label))
                {
                    using var labelAttribute = new SysfsAttribute(label);
                    sensorName = $"{Name}/{labelAttribute.ReadText()}";
                }

                temperatures.Add(new SysfsTemperatureSensor(sensorName, temp));
            }
        }

        Fans = fans;
        Temperatures = temperatures;
    }

    /// <summary>The device's sysfs directory.</summary>
    public string Directory { get; }

    /// <summary>The driver's name (<c>name</c>), e.g. <c>nct6775</c>, <c>coretemp</c>.</summary>
    public string Name { get; }

    /// <summary>Fans in index order.</summary>
    public IReadOnlyList<SysfsFan> Fans { get; }

    /// <summary>Temperature sensors in index order.</summary>
    public IReadOnlyList<SysfsTemperatureSensor> Temperatures { get; }

    /// <summary>Finds every <c>hwmonN</c> under <c>{root}/sys/class/hwmon</c>, in N order.</summary>
    public static IReadOnlyList<SysfsHwmonDevice> Discover(SysfsRoot root, ActuatorStateJournal? journal = null)
    {
        if (!System.IO.Directory.Exists(root.HwmonClass))
        {
            return [];
        }

        return System.IO.Directory.GetFileSystemEntries(root.HwmonClass, "hwmon*")
            .Where(d => int.TryParse(Path.GetFileName(d).AsSpan("hwmon".Length), out _))
            .OrderBy(d => int.Parse(Path.GetFileName(d).AsSpan("hwmon".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(d => new SysfsHwmonDevice(d, journal))
            .ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (SysfsFan fan in Fans)
        {
            fan.Dispose();
        }

        foreach (SysfsTemperatureSensor sensor in Temperatures)
        {
            sensor.Dispose();
        }
    }
}

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

/// <summary>A hwmon temperature input (<c>tempN_input</c>, millidegrees Celsius).</summary>
public sealed class SysfsTemperatureSensor : ITemperatureSensor, IDisposable
{
    private readonly SysfsAttribute _input;

    internal SysfsTemperatureSensor(string name, string path)
    {
        Name = name;
        _input = new SysfsAttribute(path);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int ReadMillidegreesCelsius()
    {
        long value = _input.ReadInt64();
        if (value is < -273_150 or > 1_000_000)
        {
            throw new HalException(HalErrorKind.Garbage, $"{_input.Path} holds {value} m°C; not a temperature", _input.Path);
        }

        return (int)value;
    }

    /// <inheritdoc/>
    public void Dispose() => _input.Dispose();
}
