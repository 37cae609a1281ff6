using BenchmarkDotNet.Attributes;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.TestSupport.Sysfs;

namespace EdgeGovernor.Benchmarks.Hal;

/// <summary>
/// Sampling a 42-server rack through the sysfs layer: per server two RAPL packages with a dram subzone each
/// (4 energy counters), hwmon with 4 fans (fanN_input) and 6 temperatures (tempN_input); 588 attribute reads
/// per sample, from fake trees (<see cref="FakeSysfs"/>, one temporary directory per server) laid out like the kernel's.
/// Run: <c>dotnet run -c Release --project tools/EdgeGovernor.Benchmarks -- --filter '*RackSampling*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class RackSamplingBenchmarks
{
    private const int Servers = 42;
    private FakeSysfs[] _trees = [];
    private LinuxServerHardware[] _servers = [];
    private RackSampler _sampler = null!;
    private SysfsAttribute _single = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trees = new FakeSysfs[Servers];
        _servers = new LinuxServerHardware[Servers];
        for (int i = 0; i < Servers; i++)
        {
            // Two packages with a dram subzone each (long-term constraint only), hwmon with 4 fans and 6 temperatures.
            var sys = new FakeSysfs();
            _trees[i] = sys;
            for (int package = 0; package < 2; package++)
            {
                sys.AddRaplZone($"intel-rapl:{package}", $"package-{package}", energyUj: 100_000_000 + i, constraints: 1);
                sys.AddRaplZone($"intel-rapl:{package}:0", "dram", energyUj: 20_000_000 + i, constraints: 1);
            }

            sys.AddHwmon(0, "nct6775", fans: 4, temps: 6, rpm: 1110 + i, milliCelsius: 40_500 + i);
            _servers[i] = LinuxServerHardware.Discover(new SysfsRoot(sys.Root), $"server-{i:D2}");
        }

        _sampler = new RackSampler(_servers);
        if (_sampler.EnergyMicrojoules.Length != Servers * 4 || _sampler.TemperaturesMillidegrees.Length != Servers * 6 || _sampler.FanRpm.Length != Servers * 4)
        {
            throw new InvalidOperationException("fake rack not as described");
        }

        _single = new SysfsAttribute(Path.Combine(_trees[0].Root, "sys/class/powercap/intel-rapl:0/energy_uj"));
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
        foreach (FakeSysfs tree in _trees)
        {
            tree.Dispose();
        }
    }

    /// <summary>One sample of the whole rack: 168 energy counters, 252 temperatures, 168 fan speeds.</summary>
    [Benchmark]
    public int SampleRack() => _sampler.Sample();

    /// <summary>One attribute read (pread at offset 0 + Utf8Parser), for scale.</summary>
    [Benchmark]
    public long ReadOneCounter() => _single.ReadInt64();
}
