using BenchmarkDotNet.Attributes;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Benchmarks.Hal;

/// <summary>Writes one server's kernel tree (powercap, hwmon) with the kernel's file names and formats.</summary>
internal static class FakeKernelTree
{
    public static void Build(string root, int seed)
    {
        string powercap = Path.Combine(root, "sys/devices/virtual/powercap/intel-rapl");
        string powercapClass = Path.Combine(root, "sys/class/powercap");
        Directory.CreateDirectory(powercapClass);
        for (int package = 0; package < 2; package++)
        {
            string pkg = Path.Combine(powercap, $"intel-rapl:{package}");
            Zone(pkg, $"package-{package}", 100_000_000 + seed);
            File.CreateSymbolicLink(Path.Combine(powercapClass, $"intel-rapl:{package}"), pkg);
            string dram = Path.Combine(pkg, $"intel-rapl:{package}:0");
            Zone(dram, "dram", 20_000_000 + seed);
            File.CreateSymbolicLink(Path.Combine(powercapClass, $"intel-rapl:{package}:0"), dram);
        }

        string hwmon = Path.Combine(root, "sys/devices/platform/nct6775.656/hwmon/hwmon0");
        Directory.CreateDirectory(hwmon);
        Attribute(hwmon, "name", "nct6775");
        for (int i = 1; i <= 4; i++)
        {
            Attribute(hwmon, $"pwm{i}", "128");
            Attribute(hwmon, $"pwm{i}_enable", "2");
            Attribute(hwmon, $"fan{i}_input", (1100 + (10 * i) + seed).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int i = 1; i <= 6; i++)
        {
            Attribute(hwmon, $"temp{i}_input", (40_000 + (500 * i) + seed).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Directory.CreateDirectory(Path.Combine(root, "sys/class/hwmon"));
        File.CreateSymbolicLink(Path.Combine(root, "sys/class/hwmon/hwmon0"), hwmon);
    }

    private static void Zone(string dir, string name, long energy)
    {
        Directory.CreateDirectory(dir);
        Attribute(dir, "name", name);
        Attribute(dir, "energy_uj", energy.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Attribute(dir, "max_energy_range_uj", "262143328850");
        Attribute(dir, "enabled", "1");
        Attribute(dir, "constraint_0_name", "long_term");
        Attribute(dir, "constraint_0_power_limit_uw", "125000000");
        Attribute(dir, "constraint_0_time_window_us", "999424");
        Attribute(dir, "constraint_0_max_power_uw", "125000000");
    }

    private static void Attribute(string dir, string name, string value) => File.WriteAllText(Path.Combine(dir, name), value + "\n");
}
