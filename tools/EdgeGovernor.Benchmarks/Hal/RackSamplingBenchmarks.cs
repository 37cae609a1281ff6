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
