using FsCheck;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.PowerCap;

/// <summary>RAPL through a fake /sys/class/powercap built like the kernel's.</summary>
public sealed class PowerCapTests : IDisposable
{
    private readonly FakeSysfs _sys = new();
    private readonly string _pkg0;
    private readonly string _dram0;
    private readonly string _pkg1;

    public PowerCapTests()
    {
        _pkg0 = _sys.AddRaplZone("intel-rapl:0", "package-0", energyUj: 5_000_000);
        _dram0 = _sys.AddRaplZone("intel-rapl:0:0", "dram", energyUj: 700_000, longTermUw: 30_000_000, shortTermUw: 0, maxPowerUw: null, constraints: 1);
        _pkg1 = _sys.AddRaplZone("intel-rapl:1", "package-1", energyUj: 6_000_000);
    }

    public void Dispose() => _sys.Dispose();

    private IReadOnlyList<SysfsPowerCapZone> Discover() => SysfsPowerCapZone.Discover(new SysfsRoot(_sys.Root));

    [Fact]
    public void Discovers_two_packages_and_a_subzone_with_their_constraints()
    {
        IReadOnlyList<SysfsPowerCapZone> zones = Discover();
        Assert.Equal(["intel-rapl:0", "intel-rapl:0:0", "intel-rapl:1"], zones.Select(z => z.Id));
        Assert.Equal(["package-0", "dram", "package-1"], zones.Select(z => z.Name));
        SysfsPowerCapZone pkg0 = zones[0];
        Assert.Equal(262_143_328_850, pkg0.MaxEnergyRangeMicrojoules);
        Assert.Equal(["long_term", "short_term"], pkg0.Constraints.Select(c => c.Name));
        Assert.Equal(125_000_000, pkg0.Constraints[0].MaxPowerMicrowatts);
        Assert.Equal(0, pkg0.FindConstraint(PowerCapConstraintInfo.LongTerm));
        Assert.Equal(1, pkg0.FindConstraint(PowerCapConstraintInfo.ShortTerm));
        Assert.Equal(125_000_000, pkg0.ReadPowerLimitMicrowatts(0));
        Assert.Equal(999_424, pkg0.ReadTimeWindowMicroseconds(0));
        Assert.Equal(2_440, pkg0.ReadTimeWindowMicroseconds(1));
        Assert.True(pkg0.ReadEnabled());
        Assert.Equal(5_000_000, pkg0.ReadEnergyMicrojoules());
        Assert.Null(zones[1].Constraints[0].MaxPowerMicrowatts);
        Assert.Single(zones[1].Constraints);
    }

    [Fact]
    public void Energy_reads_follow_the_file_through_the_kept_descriptor()
    {
        SysfsPowerCapZone pkg1 = Discover()[2];
        Assert.Equal(6_000_000, pkg1.ReadEnergyMicrojoules());
        FakeSysfs.Write(_pkg1, "energy_uj", 6_123_456);
        Assert.Equal(6_123_456, pkg1.ReadEnergyMicrojoules());
    }

    [Fact]
    public void Counter_wrap_is_accumulated_against_max_energy_range()
    {
        string dir = _sys.AddRaplZone("intel-rapl:2", "package-2", energyUj: 999_000, maxRangeUj: 1_000_000);
        SysfsPowerCapZone zone = Discover().Single(z => z.Id == "intel-rapl:2");
        var counter = new EnergyCounter(zone.MaxEnergyRangeMicrojoules);
        Assert.Equal(0, counter.Update(zone.ReadEnergyMicrojoules()));
        FakeSysfs.Write(dir, "energy_uj", 999_900);
        Assert.Equal(900, counter.Update(zone.ReadEnergyMicrojoules()));
        FakeSysfs.Write(dir, "energy_uj", 400); // wrapped: 100 to the top, then 400
        Assert.Equal(500, counter.Update(zone.ReadEnergyMicrojoules()));
        Assert.Equal(1, counter.Wraps);
        Assert.Equal(1_400, counter.TotalMicrojoules);
    }

    [Fact]
    public void Energy_counter_total_equals_the_sum_of_increments_across_any_number_of_wraps()
    {
        FsCheck.Fluent.Prop.ForAll(
            FsCheck.Fluent.ArbMap.Default.ArbFor<int[]>(),
            (int[] steps) =>
            {
                const long max = 1_000_003;
                var counter = new EnergyCounter(max);
                long raw = 17, expected = 0;
                counter.Update(raw);
                foreach (int s in steps)
                {
                    long increment = Math.Abs((long)s) % max; // less than one wrap per sample
                    expected += increment;
                    raw = (raw + increment) % max;
                    counter.Update(raw);
                }

                return counter.TotalMicrojoules == expected;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Setting_a_limit_writes_the_kernel_format()
    {
        SysfsPowerCapZone pkg0 = Discover()[0];
        pkg0.SetPowerLimitMicrowatts(0, 95_000_000);
        pkg0.SetTimeWindowMicroseconds(0, 28_000_000);
        Assert.Equal("95000000\n", FakeSysfs.Read(_pkg0, "constraint_0_power_limit_uw"));
        Assert.Equal("28000000\n", FakeSysfs.Read(_pkg0, "constraint_0_time_window_us"));
        Assert.Equal(95_000_000, pkg0.ReadPowerLimitMicrowatts(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(125_000_001)]
    public void Limits_outside_the_hardware_range_are_refused_and_nothing_is_written(long microwatts)
    {
        SysfsPowerCapZone pkg0 = Discover()[0];
        HalException e = Assert.Throws<HalException>(() => pkg0.SetPowerLimitMicrowatts(0, microwatts));
        Assert.Equal(HalErrorKind.OutOfRange, e.Kind);
        Assert.Contains("1..125000000", e.Message);
        Assert.Equal("125000000\n", FakeSysfs.Read(_pkg0, "constraint_0_power_limit_uw"));
    }

    [Fact]
    public void Unknown_constraint_and_bad_time_window_are_refused()
    {
        SysfsPowerCapZone dram = Discover()[1];
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => dram.SetPowerLimitMicrowatts(1, 1_000)).Kind);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => dram.SetTimeWindowMicroseconds(0, 0)).Kind);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => dram.ReadPowerLimitMicrowatts(2)).Kind);
    }

    [Fact]
    public void A_locked_zone_refuses_writes_with_Locked_and_reports_it()
    {
        // The kernel answers EACCES to writes of a constraint the BIOS locked; the fake constraint file is a
        // symlink to a kernel file that root can read but not write, so the EACCES is the kernel's own.
        string dir = _sys.AddRaplZone("intel-rapl:3", "package-3");
        FakeSysfs.MakeWriteProtected(dir, "constraint_0_power_limit_uw");
        SysfsPowerCapZone zone = Discover().Single(z => z.Id == "intel-rapl:3");
        Assert.False(zone.IsLocked);
        long before = zone.ReadPowerLimitMicrowatts(0); // reads still work
        Assert.True(before > 0);
        HalException e = Assert.Throws<HalException>(() => zone.SetPowerLimitMicrowatts(0, 100_000_000));
        Assert.Equal(HalErrorKind.Locked, e.Kind);
        Assert.Equal(13, e.Errno);
        Assert.True(zone.IsLocked);
        Assert.Equal(before, zone.ReadPowerLimitMicrowatts(0));
    }

    [Fact]
    public void A_disabled_zone_reports_it_and_refuses_limits_it_would_not_enforce()
    {
        string dir = _sys.AddRaplZone("intel-rapl:4", "psys", enabled: false);
        SysfsPowerCapZone zone = Discover().Single(z => z.Id == "intel-rapl:4");
        Assert.False(zone.ReadEnabled());
        Assert.Equal(HalErrorKind.Disabled, Assert.Throws<HalException>(() => zone.SetPowerLimitMicrowatts(0, 100_000_000)).Kind);
        Assert.Equal("125000000\n", FakeSysfs.Read(dir, "constraint_0_power_limit_uw"));
        zone.SetEnabled(true);
        Assert.Equal("1\n", FakeSysfs.Read(dir, "enabled"));
        zone.SetPowerLimitMicrowatts(0, 100_000_000);
        Assert.Equal("100000000\n", FakeSysfs.Read(dir, "constraint_0_power_limit_uw"));
    }

    [Theory]
    [InlineData("garbage\n")]
    [InlineData("")]
    [InlineData("12 34\n")]
    [InlineData("0x10\n")]
    [InlineData("99999999999999999999999\n")]
    public void Garbage_energy_is_a_typed_error(string content)
    {
        SysfsPowerCapZone pkg0 = Discover()[0];
        FakeSysfs.WriteRaw(_pkg0, "energy_uj", content);
        HalException e = Assert.Throws<HalException>(() => pkg0.ReadEnergyMicrojoules());
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.EndsWith("energy_uj", e.Target);
    }

    [Fact]
    public void Unreadable_energy_is_NotAFile_and_a_missing_one_is_Missing_and_reads_recover()
    {
        // Made unreadable before the first read: a descriptor already open would keep reading the old inode
        // of a regular file (on real sysfs a removed attribute answers ENODEV, which maps to Missing).
        FakeSysfs.MakeUnreadable(_pkg0, "energy_uj"); // a directory: open() works, read() fails with EISDIR
        SysfsPowerCapZone pkg0 = Discover()[0];
        HalException e = Assert.Throws<HalException>(() => pkg0.ReadEnergyMicrojoules());
        Assert.Equal(HalErrorKind.NotAFile, e.Kind);
        Assert.Equal(21, e.Errno);
        Directory.Delete(Path.Combine(_pkg0, "energy_uj"));
        e = Assert.Throws<HalException>(() => pkg0.ReadEnergyMicrojoules());
        Assert.Equal(HalErrorKind.Missing, e.Kind);
        Assert.Equal(2, e.Errno);
        FakeSysfs.Write(_pkg0, "energy_uj", 42);
        Assert.Equal(42, pkg0.ReadEnergyMicrojoules());
    }

    [Fact]
    public void A_zone_with_garbage_in_its_static_files_is_refused_at_discovery()
    {
        FakeSysfs.WriteRaw(_pkg1, "max_energy_range_uj", "lots\n");
        HalException e = Assert.Throws<HalException>(Discover);
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.Contains("max_energy_range_uj", e.Message);
    }

    [Fact]
    public void Garbage_in_enabled_is_a_typed_error()
    {
        SysfsPowerCapZone pkg0 = Discover()[0];
        FakeSysfs.Write(_pkg0, "enabled", 7);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => pkg0.ReadEnabled()).Kind);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => pkg0.SetPowerLimitMicrowatts(0, 1_000)).Kind);
        _ = _dram0;
    }
}
