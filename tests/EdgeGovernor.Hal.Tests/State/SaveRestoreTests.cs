using System.Device.Gpio;
using System.Text.Json.Nodes;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.State;

/// <summary>Actuators record what they found; an orderly stop and the start after a crash put it back.</summary>
public sealed class SaveRestoreTests : IDisposable
{
    private readonly FakeSysfs _sys = new();
    private readonly string _pkg0;
    private readonly string _policy0;
    private readonly string _hwmon0;
    private readonly string _stateFile;

    public SaveRestoreTests()
    {
        _pkg0 = _sys.AddRaplZone("intel-rapl:0", "package-0");
        _policy0 = _sys.AddCpuFreqPolicy(0, epp: false);
        _hwmon0 = _sys.AddHwmon(0);
        _stateFile = Path.Combine(_sys.Root, "var/lib/edgegov/actuators.json");
    }

    public void Dispose() => _sys.Dispose();

    private SysfsRoot Root => new(_sys.Root);

    /// <summary>Changes RAPL, cpufreq and a fan the way a control loop does, through the journal.</summary>
    private void Actuate(ActuatorStateJournal journal)
    {
        SysfsPowerCapZone zone = SysfsPowerCapZone.Discover(Root, journal)[0];
        zone.SetPowerLimitMicrowatts(0, 90_000_000);
        zone.SetPowerLimitMicrowatts(0, 80_000_000); // second change: the original stays what was found
        SysfsCpuFreqPolicy policy = SysfsCpuFreqPolicy.Discover(Root, journal)[0];
        policy.SetLimitsKhz(800_000, 2_200_000);
        policy.SetGovernor("powersave");
        SysfsFan fan = SysfsHwmonDevice.Discover(Root, journal)[0].Fans[0];
        fan.SetMode(FanControlMode.Manual);
        fan.SetDuty(255);
    }

    private void AssertAsFound()
    {
        Assert.Equal("125000000\n", FakeSysfs.Read(_pkg0, "constraint_0_power_limit_uw"));
        Assert.Equal("3600000\n", FakeSysfs.Read(_policy0, "scaling_max_freq"));
        Assert.Equal("800000\n", FakeSysfs.Read(_policy0, "scaling_min_freq"));
        Assert.Equal("schedutil\n", FakeSysfs.Read(_policy0, "scaling_governor"));
        Assert.Equal("2\n", FakeSysfs.Read(_hwmon0, "pwm1_enable"));
        Assert.Equal("128\n", FakeSysfs.Read(_hwmon0, "pwm1"));
    }

    [Fact]
    public void The_original_is_durable_before_the_first_change_and_only_the_first_is_kept()
    {
        var journal = ActuatorStateJournal.Open(_stateFile);
        Assert.False(File.Exists(_stateFile));
        Actuate(journal);
        Assert.Equal("80000000\n", FakeSysfs.Read(_pkg0, "constraint_0_power_limit_uw"));
        ActuatorStateJournal reread = ActuatorStateJournal.Open(_stateFile);
        Assert.True(reread.LeftOverFromPreviousRun);
        SavedActuatorState limit = Assert.Single(reread.Entries, e => e.Target.EndsWith("constraint_0_power_limit_uw", StringComparison.Ordinal));
        Assert.Equal(("sysfs", "125000000"), (limit.Kind, limit.Value));
        Assert.Equal(6, reread.Entries.Count); // limit, min, max, governor, pwm_enable, pwm
        Assert.False(File.Exists(_stateFile + ".tmp"));
    }

    [Fact]
    public void An_orderly_stop_restores_everything_and_removes_the_file()
    {
        var journal = ActuatorStateJournal.Open(_stateFile);
        Actuate(journal);
        RestoreReport report = journal.RestoreAll(new SysfsRestorer(Root));
        Assert.True(report.Complete);
        Assert.Equal(6, report.Restored);
        AssertAsFound();
        Assert.False(File.Exists(_stateFile));
    }

    [Fact]
    public void After_a_crash_the_next_start_restores_first()
    {
        Actuate(ActuatorStateJournal.Open(_stateFile)); // the process "dies" here: no restore
        Assert.True(File.Exists(_stateFile));

        ActuatorStateJournal journal = ActuatorStateJournal.OpenAndRecover(_stateFile, new SysfsRestorer(Root), out RestoreReport recovery);
        Assert.True(recovery.Complete);
        Assert.Equal(6, recovery.Restored);
        AssertAsFound();
        Assert.False(File.Exists(_stateFile));
        Assert.Empty(journal.Entries);

        // And the new run records afresh from the restored values.
        Actuate(journal);
        Assert.Equal("125000000", Assert.Single(journal.Entries, e => e.Target.EndsWith("power_limit_uw", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public void The_hardware_factory_recovers_a_crashed_run_before_handing_out_the_hardware()
    {
        Actuate(ActuatorStateJournal.Open(_stateFile)); // crashed run
        using IRackHardware rack = HardwareFactory.Create(
            new HardwareOptions(SysfsRoot: _sys.Root), _stateFile, RepoPaths.SpecPowerCurves, new ManualClock(), out ActuatorStateJournal journal, out RestoreReport recovery);
        Assert.Equal(6, recovery.Restored);
        AssertAsFound();
        IServerHardware server = Assert.Single(rack.Servers);
        Assert.Equal(["package-0"], server.PowerCapZones.Select(z => z.Name));
        Assert.Single(server.CpuFreqPolicies);
        Assert.Single(server.Fans);
        Assert.Null(rack.Outlets);

        // The hardware it hands out records into the recovered journal.
        server.PowerCapZones[0].SetPowerLimitMicrowatts(0, 70_000_000);
        Assert.Single(journal.Entries);
        Assert.True(journal.RestoreAll(new SysfsRestorer(Root)).Complete);
        AssertAsFound();
    }

    [Fact]
    public void A_clean_start_restores_nothing()
    {
        ActuatorStateJournal.OpenAndRecover(_stateFile, new SysfsRestorer(Root), out RestoreReport recovery);
        Assert.Equal(0, recovery.Restored);
        Assert.True(recovery.Complete);
    }

    [Fact]
    public void Entries_that_fail_to_restore_stay_in_the_file_with_the_reason()
    {
        var journal = ActuatorStateJournal.Open(_stateFile);
        Actuate(journal);
        FakeSysfs.MakeUnreadable(_hwmon0, "pwm1"); // a directory now: EISDIR on write, may be back next time
        RestoreReport report = journal.RestoreAll(new SysfsRestorer(Root));
        RestoreFailure failure = Assert.Single(report.Failures);
        Assert.EndsWith("pwm1", failure.State.Target);
        Assert.Equal(HalErrorKind.NotAFile, failure.Error.Kind);
        Assert.Empty(report.Refused);
        Assert.Equal(5, report.Restored);
        Assert.Single(ActuatorStateJournal.Open(_stateFile).Entries);
    }

    [Fact]
    public void A_tampered_state_file_cannot_make_the_restorer_write_outside_sys()
    {
        string victim = Path.Combine(_sys.Root, "etc/passwd");
        Directory.CreateDirectory(Path.GetDirectoryName(victim)!);
        File.WriteAllText(victim, "root:x:0:0\n");
        var journal = ActuatorStateJournal.Open(_stateFile);
        journal.RecordOriginal("sysfs", victim, "pwned");
        journal.RecordOriginal("sysfs", Path.Combine(_sys.Root, "sys/../etc/passwd"), "pwned");
        RestoreReport report = journal.RestoreAll(new SysfsRestorer(Root));
        Assert.Equal(2, report.Refused.Count);
        Assert.All(report.Refused, f => Assert.Equal(HalErrorKind.Invalid, f.Error.Kind));
        Assert.True(report.Complete);
        Assert.Equal("root:x:0:0\n", File.ReadAllText(victim));
        Assert.False(File.Exists(_stateFile)); // refused entries leave the file: nothing left to restore
    }

    [Fact]
    public void A_symlink_below_sys_cannot_redirect_a_restore_outside_the_tree()
    {
        string outside = Path.Combine(_sys.Root, "etc");
        Directory.CreateDirectory(outside);
        string victim = Path.Combine(outside, "pwm1");
        File.WriteAllText(victim, "precious\n");
        Directory.CreateSymbolicLink(Path.Combine(_sys.Root, "sys/class/hwmon/evil"), outside);   // a directory link leaving sys
        File.CreateSymbolicLink(Path.Combine(_hwmon0, "pwm2"), Path.Combine(_hwmon0, "pwm1"));     // an attribute that is a link
        var journal = ActuatorStateJournal.Open(_stateFile);
        journal.RecordOriginal("sysfs", Path.Combine(_sys.Root, "sys/class/hwmon/evil/pwm1"), "100");
        journal.RecordOriginal("sysfs", Path.Combine(_hwmon0, "pwm2"), "100");
        RestoreReport report = journal.RestoreAll(new SysfsRestorer(Root));
        Assert.Equal(2, report.Refused.Count);
        Assert.Contains(report.Refused, f => f.Error.Message.Contains("is not below", StringComparison.Ordinal));
        Assert.Contains(report.Refused, f => f.Error.Message.Contains("is a symlink", StringComparison.Ordinal));
        Assert.Equal("precious\n", File.ReadAllText(victim));
        Assert.False(File.Exists(_stateFile));
    }

    [Fact]
    public void Restored_values_are_checked_against_the_attributes_format_and_refused_entries_leave_the_file()
    {
        string pwm = Path.Combine(_hwmon0, "pwm1");
        string before = FakeSysfs.Read(_hwmon0, "pwm1");
        string limit = Path.Combine(_pkg0, "constraint_0_power_limit_uw");
        string governor = Path.Combine(_policy0, "scaling_governor");
        string[] bad = ["-1e99\nfoo", new string('9', 100_000), "256", "-1", " 12", "0x10", ""];
        foreach (string value in bad)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
            static JsonObject Entry(string target, string value) => new() { ["kind"] = "sysfs", ["target"] = target, ["value"] = value };
            File.WriteAllText(_stateFile, new JsonObject
            {
                ["version"] = 1,
                ["entries"] = new JsonArray(Entry(pwm, value), Entry(limit, "55000000"), Entry(governor, "powersave")),
            }.ToJsonString());
            ActuatorStateJournal.OpenAndRecover(_stateFile, new SysfsRestorer(Root), out RestoreReport recovery);
            RestoreFailure refused = Assert.Single(recovery.Refused);
            Assert.Equal(pwm, refused.State.Target);
            Assert.Equal(HalErrorKind.Invalid, refused.Error.Kind);
            Assert.True(refused.Error.Message.Length < 400, "the message does not echo a long value");
            Assert.Equal(2, recovery.Restored);
            Assert.Equal(before, FakeSysfs.Read(_hwmon0, "pwm1"));
            Assert.Equal("55000000", FakeSysfs.Read(_pkg0, "constraint_0_power_limit_uw").Trim());
            Assert.False(File.Exists(_stateFile), $"'{value}' stayed in the state file");
        }
    }

    [Theory]
    [InlineData("pwm1", "255", true)]
    [InlineData("pwm1_enable", "2", true)]
    [InlineData("enabled", "1", true)]
    [InlineData("enabled", "2", false)]
    [InlineData("constraint_1_time_window_us", "976", true)]
    [InlineData("scaling_max_freq", "3000000", true)]
    [InlineData("scaling_governor", "schedutil", true)]
    [InlineData("energy_performance_preference", "balance_performance", true)]
    [InlineData("scaling_governor", "perf ormance", false)]
    [InlineData("uevent", "1", false)]
    [InlineData("pwmx", "1", false)]
    public void Only_the_attributes_edgegov_writes_take_their_own_values(string name, string value, bool ok) =>
        Assert.Equal(ok, SysfsFormat.IsRestorable(name, value));

    [Fact]
    public void A_state_file_larger_than_a_journal_gets_is_refused_as_garbage()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        File.WriteAllText(_stateFile, "{\"version\": 1, \"entries\": [{\"kind\": \"sysfs\", \"target\": \"/sys/x\", \"value\": \"" + new string('1', 10_000_000) + "\"}]}");
        HalException e = Assert.Throws<HalException>(() => ActuatorStateJournal.Open(_stateFile));
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.Contains(_stateFile, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"version\": 7, \"entries\": []}")]
    [InlineData("{\"version\": 1, \"entries\": [{\"kind\": \"sysfs\", \"target\": \"\", \"value\": \"1\"}]}")]
    [InlineData("null")]
    public void A_corrupt_state_file_is_a_clear_error_not_a_guess(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        File.WriteAllText(_stateFile, content);
        HalException e = Assert.Throws<HalException>(() => ActuatorStateJournal.Open(_stateFile));
        Assert.Equal(HalErrorKind.Garbage, e.Kind);
        Assert.Contains(_stateFile, e.Message);
    }

    [Fact]
    public void Relays_are_recorded_and_restored_through_the_gpio_restorer()
    {
        var clock = new ManualClock();
        var driver = new SimulatedGpioDriver("sim-gpiochip0", 4, PinValue.High);
        using var controller = new GpioController(driver);
        var journal = ActuatorStateJournal.Open(_stateFile);
        using (var relay = new Relay(controller, "sim-gpiochip0", 2, "outlet-2", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(10)), clock, journal))
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            relay.Switch(false);
        }

        Assert.Equal(PinValue.Low, driver.Level(2));
        SavedActuatorState entry = Assert.Single(ActuatorStateJournal.Open(_stateFile).Entries);
        Assert.Equal(("gpio", "sim-gpiochip0:2", "1"), (entry.Kind, entry.Target, entry.Value));

        ActuatorStateJournal.OpenAndRecover(_stateFile, new CompositeRestorer(new SysfsRestorer(Root), new GpioRestorer(controller, "sim-gpiochip0")), out RestoreReport recovery);
        Assert.True(recovery.Complete);
        Assert.Equal(PinValue.High, driver.Level(2));
        Assert.False(controller.IsPinOpen(2));
    }

    [Fact]
    public void Atomic_write_replaces_the_whole_file()
    {
        string path = Path.Combine(_sys.Root, "atomic.json");
        AtomicFile.Write(path, "first, and longer"u8);
        AtomicFile.Write(path, "second"u8);
        Assert.Equal("second", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
