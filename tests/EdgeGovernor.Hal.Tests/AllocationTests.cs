using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests;

/// <summary>Control-loop reads allocate nothing once warm (<see cref="AllocationAssert"/>: windows of 1,000 calls).</summary>
public sealed class AllocationTests : IDisposable
{
    private readonly List<FakeSysfs> _trees = [];

    public void Dispose() => _trees.ForEach(t => t.Dispose());

    private LinuxServerHardware Server(int i)
    {
        var sys = new FakeSysfs();
        _trees.Add(sys);
        sys.AddRaplZone("intel-rapl:0", "package-0", energyUj: 1_000 + i);
        sys.AddRaplZone("intel-rapl:0:0", "dram", constraints: 1, maxPowerUw: null);
        sys.AddRaplZone("intel-rapl:1", "package-1");
        sys.AddHwmon(0, "nct6775", fans: 3, temps: 2);
        sys.AddHwmon(1, "coretemp", fans: 0, temps: 4);
        sys.AddCpuFreqPolicy(0);
        return LinuxServerHardware.Discover(new SysfsRoot(sys.Root), $"server-{i}");
    }

    [Fact]
    public void Sampling_a_sysfs_rack_allocates_nothing()
    {
        LinuxServerHardware[] servers = Enumerable.Range(0, 4).Select(Server).ToArray();
        var sampler = new RackSampler(servers);
        Assert.Equal(12, sampler.EnergyMicrojoules.Length);
        Assert.Equal(24, sampler.TemperaturesMillidegrees.Length);
        Assert.Equal(12, sampler.FanRpm.Length);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0, sampler.Sample()); // warm up: descriptors opened here
        }

        AllocationAssert.NothingInSteadyState(1_000, () => sampler.Sample());
        Assert.Equal(45_000, sampler.TemperaturesMillidegrees[0]);
        Assert.Equal(1_202, sampler.FanRpm[2]);
        Assert.Equal(0, sampler.Failures);
    }

    [Fact]
    public void Reading_cpufreq_and_powercap_limits_allocates_nothing()
    {
        LinuxServerHardware server = Server(0);
        var zone = server.PowerCapZones[0];
        var policy = server.CpuFreqPolicies[0];
        var fan = server.Fans[0];
        long ReadAll() => zone.ReadPowerLimitMicrowatts(0) + zone.ReadTimeWindowMicroseconds(1) + policy.ReadCurrentKhz() + policy.ReadMaxKhz()
            + fan.ReadDuty() + (long)fan.ReadMode() + (zone.ReadEnabled() ? 1 : 0);
        long sum = ReadAll(); // warm up: the first read of each attribute opens its descriptor
        AllocationAssert.NothingInSteadyState(1_000, () => sum += ReadAll());
        Assert.True(sum > 0);
    }

    [Fact]
    public void Sampling_the_simulated_rack_allocates_nothing()
    {
        using var rack = new SimulatedRack(SpecPowerCurveParser.Load(RepoPaths.SpecPowerCurves), new SimulatedRackOptions(), new ManualClock());
        var sampler = new RackSampler(rack.Servers);
        sampler.Sample();
        AllocationAssert.NothingInSteadyState(1_000, () => sampler.Sample());
    }

    [Fact]
    public void A_failing_read_is_counted_and_the_sample_goes_on()
    {
        LinuxServerHardware server = Server(0);
        var sampler = new RackSampler([server]);
        sampler.Sample();
        string tree = _trees[0].Root;
        FakeSysfs.WriteRaw(Path.Combine(tree, "sys/class/hwmon/hwmon0"), "fan2_input", "??\n");
        Assert.Equal(1, sampler.Sample());
        Assert.Equal(HalErrorKind.Garbage, sampler.LastError!.Kind);
        Assert.Equal(1, sampler.Failures);
        Assert.Equal(1_200, sampler.FanRpm[0]);
    }
}
