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
