namespace EdgeGovernor.TestSupport.Sysfs;

/// <summary>
/// Builds a fake sysfs tree in a temporary directory with the kernel's file names and formats
/// (values as "%llu\n" / "%s\n"). Classes are symlinks into devices/, as the kernel lays them out.
/// </summary>
public sealed class FakeSysfs : IDisposable
{
    /// <summary>A kernel file that root may read but not write: proc_sys_permission() denies writes to a 0444
    /// sysctl even for root, with EACCES. Used to make an attribute refuse writes the way a BIOS-locked RAPL
    /// constraint does (root bypasses chmod 000 on ordinary files, so chmod cannot do this).</summary>
    public const string ReadOnlyKernelFile = "/proc/sys/kernel/ngroups_max";

    public FakeSysfs()
    {
        Root = Directory.CreateTempSubdirectory("edgegov-sysfs-").FullName;
    }

    public string Root { get; }

    public string PowerCapDevices => Path.Combine(Root, "sys/devices/virtual/powercap/intel-rapl");

    /// <summary>Adds a RAPL zone (<c>intel-rapl:N</c> or <c>intel-rapl:N:M</c>) with constraint_0 (long_term) and constraint_1 (short_term).</summary>
    public string AddRaplZone(string id, string name, long energyUj = 1_000_000, long maxRangeUj = 262_143_328_850, bool enabled = true,
        long longTermUw = 125_000_000, long shortTermUw = 150_000_000, long? maxPowerUw = 125_000_000, int constraints = 2)
    {
        string[] parts = id.Split(':');
        string dir = parts.Length == 2
            ? Path.Combine(PowerCapDevices, id)
            : Path.Combine(PowerCapDevices, $"{parts[0]}:{parts[1]}", id);
        Directory.CreateDirectory(dir);
        Write(dir, "name", name);
        Write(dir, "energy_uj", energyUj);
        Write(dir, "max_energy_range_uj", maxRangeUj);
        Write(dir, "enabled", enabled ? 1 : 0);
        string[] names = ["long_term", "short_term", "peak_power"];
        long[] limits = [longTermUw, shortTermUw, shortTermUw * 2];
        long[] windows = [999_424, 2_440, 0];
        for (int k = 0; k < constraints; k++)
        {
            Write(dir, $"constraint_{k}_name", names[k]);
            Write(dir, $"constraint_{k}_power_limit_uw", limits[k]);
            Write(dir, $"constraint_{k}_time_window_us", windows[k]);
            if (maxPowerUw is { } max)
            {
                Write(dir, $"constraint_{k}_max_power_uw", k == 0 ? max : max * 2);
            }
        }

        string classDir = Path.Combine(Root, "sys/class/powercap");
        Directory.CreateDirectory(classDir);
        File.CreateSymbolicLink(Path.Combine(classDir, id), dir);
        return dir;
    }

    /// <summary>Adds <c>policyN</c> under cpu/cpufreq with the scaling files of acpi-cpufreq (and EPP of intel_pstate/amd-pstate when asked).</summary>
    public string AddCpuFreqPolicy(int n, long minKhz = 800_000, long maxKhz = 3_600_000, bool epp = true, bool availableFrequencies = true)
    {
        string dir = Path.Combine(Root, "sys/devices/system/cpu/cpufreq", $"policy{n}");
        Directory.CreateDirectory(dir);
        Write(dir, "affected_cpus", $"{2 * n} {(2 * n) + 1}");
        Write(dir, "cpuinfo_min_freq", minKhz);
        Write(dir, "cpuinfo_max_freq", maxKhz);
        Write(dir, "cpuinfo_transition_latency", 10_000);
        Write(dir, "scaling_cur_freq", (minKhz + maxKhz) / 2);
        Write(dir, "scaling_min_freq", minKhz);
        Write(dir, "scaling_max_freq", maxKhz);
        Write(dir, "scaling_driver", epp ? "amd-pstate-epp" : "acpi-cpufreq");
        Write(dir, "scaling_governor", epp ? "powersave" : "schedutil");
        Write(dir, "scaling_available_governors", epp ? "performance powersave" : "conservative ondemand userspace powersave performance schedutil");
        if (availableFrequencies)
        {
            Write(dir, "scaling_available_frequencies", $"{maxKhz} {(minKhz + maxKhz) / 2} {minKhz} ");
        }

        if (epp)
        {
            Write(dir, "energy_performance_preference", "balance_performance");
            Write(dir, "energy_performance_available_preferences", "default performance balance_performance balance_power power ");
        }

        return dir;
    }

    /// <summary>Adds <c>hwmonN</c> with name, pwm1, pwm1_enable, fan1_input, temp1_input (and more when asked).</summary>
    public string AddHwmon(int n, string name = "nct6775", int fans = 1, int temps = 1, int pwm = 128, int enable = 2, int rpm = 1200, int milliCelsius = 45_000)
    {
        string dir = Path.Combine(Root, "sys/devices/platform", $"{name}.{656 + n}", "hwmon", $"hwmon{n}");
        Directory.CreateDirectory(dir);
        Write(dir, "name", name);
        for (int i = 1; i <= fans; i++)
        {
            Write(dir, $"pwm{i}", pwm);
            Write(dir, $"pwm{i}_enable", enable);
            Write(dir, $"fan{i}_input", rpm + i - 1);
        }

        for (int i = 1; i <= temps; i++)
        {
            Write(dir, $"temp{i}_input", milliCelsius + ((i - 1) * 1000));
        }

        string classDir = Path.Combine(Root, "sys/class/hwmon");
        Directory.CreateDirectory(classDir);
        File.CreateSymbolicLink(Path.Combine(classDir, $"hwmon{n}"), dir);
        return dir;
    }

    /// <summary>Writes an attribute in place (same inode, as the kernel's value changes under an open descriptor).</summary>
    public static void Write(string dir, string name, object value)
    {
        string path = Path.Combine(dir, name);
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        stream.SetLength(0);
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) + "\n");
        stream.Write(bytes);
    }

    /// <summary>Writes raw bytes (for garbage).</summary>
    public static void WriteRaw(string dir, string name, string content)
    {
        string path = Path.Combine(dir, name);
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        stream.SetLength(0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(content));
    }

    public static string Read(string dir, string name) => File.ReadAllText(Path.Combine(dir, name));

    /// <summary>Replaces an attribute with a directory: open() for read succeeds, read() fails with EISDIR,
    /// open() for write fails with EISDIR. Root cannot be kept out of a chmod 000 file, so this is how the
    /// tests make an attribute unreadable.</summary>
    public static void MakeUnreadable(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        File.Delete(path);
        Directory.CreateDirectory(path);
    }

    /// <summary>Replaces an attribute with a symlink to <see cref="ReadOnlyKernelFile"/>: reads work, writes fail with EACCES.</summary>
    public static void MakeWriteProtected(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        File.Delete(path);
        File.CreateSymbolicLink(path, ReadOnlyKernelFile);
    }

    /// <summary>A kernel file root may not read: a 0200 sysctl, which proc_sys_permission() refuses to open for
    /// reading even for root (EACCES). Only ever linked from sensor inputs, which the layer never writes.</summary>
    public const string WriteOnlyKernelFile = "/proc/sys/vm/drop_caches";

    /// <summary>Replaces a sensor input with a symlink to <see cref="WriteOnlyKernelFile"/>: reads fail with a real EACCES.</summary>
    public static void MakeUnreadableByRoot(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        File.Delete(path);
        File.CreateSymbolicLink(path, WriteOnlyKernelFile);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
