using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.CpuFreq;

/// <summary>cpufreq policies through a fake /sys/devices/system/cpu/cpufreq.</summary>
public sealed class CpuFreqTests : IDisposable
{
    private readonly FakeSysfs _sys = new();

    public CpuFreqTests()
    {
        for (int n = 0; n < 4; n++)
        {
            _sys.AddCpuFreqPolicy(n, epp: n != 3, availableFrequencies: n == 3);
        }

        _sys.AddCpuFreqPolicy(10, epp: false);
    }

    public void Dispose() => _sys.Dispose();

    private IReadOnlyList<SysfsCpuFreqPolicy> Discover() => SysfsCpuFreqPolicy.Discover(new SysfsRoot(_sys.Root));

    private string Dir(int n) => Path.Combine(_sys.Root, "sys/devices/system/cpu/cpufreq", $"policy{n}");

    [Fact]
    public void Discovers_policies_in_numeric_order_with_their_ranges_and_lists()
    {
        IReadOnlyList<SysfsCpuFreqPolicy> policies = Discover();
        Assert.Equal(["policy0", "policy1", "policy2", "policy3", "policy10"], policies.Select(p => p.Name));
        SysfsCpuFreqPolicy p0 = policies[0];
        Assert.Equal(800_000, p0.HardwareMinKhz);
        Assert.Equal(3_600_000, p0.HardwareMaxKhz);
        Assert.Empty(p0.AvailableFrequenciesKhz); // amd-pstate has no frequency table
        Assert.Equal(["performance", "powersave"], p0.AvailableGovernors);
        Assert.Equal("balance_performance", p0.ReadEnergyPerformancePreference());
        Assert.Equal(5, p0.AvailableEnergyPerformancePreferences.Count);
        Assert.Equal(2_200_000, p0.ReadCurrentKhz());
        SysfsCpuFreqPolicy p3 = policies[3];
        Assert.Equal([800_000, 2_200_000, 3_600_000], p3.AvailableFrequenciesKhz);
        Assert.Null(p3.ReadEnergyPerformancePreference());
        Assert.Equal("schedutil", p3.ReadGovernor());
    }

    [Fact]
    public void Lowering_and_raising_limits_writes_min_and_max_in_a_safe_order()
    {
        SysfsCpuFreqPolicy p1 = Discover()[1];
        p1.SetLimitsKhz(1_000_000, 2_000_000);
        Assert.Equal("1000000\n", FakeSysfs.Read(Dir(1), "scaling_min_freq"));
        Assert.Equal("2000000\n", FakeSysfs.Read(Dir(1), "scaling_max_freq"));
        p1.SetLimitsKhz(3_000_000, 3_600_000); // min above the old max: max goes first
        Assert.Equal(3_000_000, p1.ReadMinKhz());
        Assert.Equal(3_600_000, p1.ReadMaxKhz());
    }

    [Theory]
    [InlineData(700_000, 2_000_000)]
    [InlineData(800_000, 3_600_001)]
    [InlineData(2_000_000, 1_000_000)]
    public void Limits_outside_the_hardware_range_are_refused(long min, long max)
    {
        SysfsCpuFreqPolicy p2 = Discover()[2];
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => p2.SetLimitsKhz(min, max)).Kind);
        Assert.Equal("800000\n", FakeSysfs.Read(Dir(2), "scaling_min_freq"));
        Assert.Equal("3600000\n", FakeSysfs.Read(Dir(2), "scaling_max_freq"));
    }

    [Fact]
    public void Governor_and_energy_performance_preference_must_be_offered()
    {
        IReadOnlyList<SysfsCpuFreqPolicy> policies = Discover();
        policies[0].SetGovernor("performance");
        Assert.Equal("performance\n", FakeSysfs.Read(Dir(0), "scaling_governor"));
        policies[0].SetEnergyPerformancePreference("power");
        Assert.Equal("power\n", FakeSysfs.Read(Dir(0), "energy_performance_preference"));
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => policies[0].SetGovernor("ondemand")).Kind);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => policies[0].SetEnergyPerformancePreference("turbo")).Kind);
        Assert.Equal(HalErrorKind.Missing, Assert.Throws<HalException>(() => policies[3].SetEnergyPerformancePreference("power")).Kind);
    }

    [Fact]
    public void Preferences_listed_without_the_preference_file_are_Missing_not_a_crash()
    {
        File.Delete(Path.Combine(Dir(1), "energy_performance_preference"));
        SysfsCpuFreqPolicy p1 = Discover()[1];
        Assert.Null(p1.ReadEnergyPerformancePreference());
        HalException e = Assert.Throws<HalException>(() => p1.SetEnergyPerformancePreference("power"));
        Assert.Equal(HalErrorKind.Missing, e.Kind);
        Assert.EndsWith("energy_performance_preference", e.Target);
    }

    [Fact]
    public void Garbage_and_unreadable_files_are_typed_errors()
    {
        FakeSysfs.WriteRaw(Dir(0), "scaling_cur_freq", "fast\n");
        FakeSysfs.MakeUnreadable(Dir(1), "scaling_cur_freq");
        IReadOnlyList<SysfsCpuFreqPolicy> policies = Discover();
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => policies[0].ReadCurrentKhz()).Kind);
        Assert.Equal(HalErrorKind.NotAFile, Assert.Throws<HalException>(() => policies[1].ReadCurrentKhz()).Kind);
        FakeSysfs.WriteRaw(Dir(3), "cpuinfo_max_freq", "-1\n");
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(Discover).Kind);
    }

    [Fact]
    public void A_write_the_kernel_refuses_surfaces_with_its_errno()
    {
        FakeSysfs.MakeWriteProtected(Dir(2), "scaling_max_freq");
        SysfsCpuFreqPolicy p2 = Discover()[2];
        HalException e = Assert.Throws<HalException>(() => p2.SetLimitsKhz(800_000, 2_000_000));
        Assert.Equal(HalErrorKind.AccessDenied, e.Kind);
        Assert.Equal(13, e.Errno);
        Assert.EndsWith("scaling_max_freq", e.Target);
    }
}
