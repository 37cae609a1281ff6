namespace EdgeGovernor.Hal.Sysfs;

/// <summary>
/// Where the kernel's virtual file systems are: "/" on a board, a temporary tree in tests. Every
/// Linux implementation takes one, so the same code reads the real kernel and the test's fake.
/// </summary>
public sealed class SysfsRoot
{
    /// <summary>The real root file system.</summary>
    public static SysfsRoot System { get; } = new("/");

    /// <summary>Creates a root at <paramref name="rootDirectory"/>.</summary>
    public SysfsRoot(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = global::System.IO.Path.GetFullPath(rootDirectory);
    }

    /// <summary>The absolute root directory.</summary>
    public string RootDirectory { get; }

    /// <summary><c>{root}/sys/class/powercap</c></summary>
    public string PowerCapClass => Path("sys/class/powercap");

    /// <summary><c>{root}/sys/devices/system/cpu/cpufreq</c></summary>
    public string CpuFreq => Path("sys/devices/system/cpu/cpufreq");

    /// <summary><c>{root}/sys/class/hwmon</c></summary>
    public string HwmonClass => Path("sys/class/hwmon");

    /// <summary><c>{root}/sys</c>: everything a sysfs actuator may write lies below it.</summary>
    public string Sys => Path("sys");

    /// <summary>Joins a path relative to the root.</summary>
    public string Path(string relative) => global::System.IO.Path.Combine(RootDirectory, relative);
}
