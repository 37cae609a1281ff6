using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal.Hwmon;

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
