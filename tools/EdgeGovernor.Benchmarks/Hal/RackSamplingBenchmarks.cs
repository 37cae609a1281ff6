using BenchmarkDotNet.Attributes;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Benchmarks.Hal;

/// <summary>
/// Sampling a 42-server rack through the sysfs layer: per server two RAPL packages with a dram subzone each
/// (4 energy counters), hwmon with 4 fans (fanN_input) and 6 temperatures (tempN_input); 588 attribute reads
/// per sample, from a fake tree in a temporary directory laid out like the kernel's.
/// Run: <c>dotnet run -c Release --project tools/EdgeGovernor.Benchmarks -- --filter '*RackSampling*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class RackSamplingBenchmarks
{
    private const int Servers = 42;
    private string _root = "";
    private LinuxServerHardware[] _servers = [];
    private RackSampler _sampler = null!;
    private SysfsAttribute _single = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("edgegov-bench-sysfs-").FullName;
        _servers = new LinuxServerHardware[Servers];
        for (int i = 0; i < Servers; i++)
        {
            string serverRoot = Path.Combine(_root, $"server{i:D2}");
            FakeKernelTree.Build(serverRoot, seed: i);
            _servers[i] = LinuxServerHardware.Discover(new SysfsRoot(serverRoot), $"server-{i:D2}");
        }

        _sampler = new RackSampler(_servers);
        if (_sampler.EnergyMicrojoules.Length != Servers * 4 || _sampler.TemperaturesMillidegrees.Length != Servers * 6 || _sampler.FanRpm.Length != Servers * 4)
        {
            throw new InvalidOperationException("fake rack not as described");
        }

        _single = new SysfsAttribute(Path.Combine(_root, "server00/sys/class/powercap/intel-rapl:0/energy_uj"));
        if (_sampler.Sample() != 0)
        {
            throw new InvalidOperationException("sampling failed: " + _sampler.LastError?.Message);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (LinuxServerHardware server in _servers)
        {
            server.Dispose();
        }

        _single.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>One sample of the whole rack: 168 energy counters, 252 temperatures, 168 fan speeds.</summary>
    [Benchmark]
    public int SampleRack() => _sampler.Sample();

    /// <summary>One attribute read (pread at offset 0 + Utf8Parser), for scale.</summary>
    [Benchmark]
    public long ReadOneCounter() => _single.ReadInt64();
}

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
