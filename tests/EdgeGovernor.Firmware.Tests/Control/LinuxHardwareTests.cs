using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <c>rack.hardware = "linux"</c> against a fake sysfs tree laid out like the kernel's (two RAPL packages with a
/// dram subzone, one hwmon chip with a manual fan and a temperature): caps land in <c>constraint_0_power_limit_uw</c>
/// within range, originals come back on stop and after a crash, and bad files are counted, not fatal.
/// </summary>
public sealed class LinuxHardwareTests
{
    private const long Original0 = 124_000_000;
    private const long Original1 = 118_000_000;

    private sealed class Board : IDisposable
    {
        public Board(long maxPowerUw = 125_000_000, int milliCelsius = 45_000, int fanDuty = 40)
        {
            Package0 = Sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: Original0, maxPowerUw: maxPowerUw);
            Sysfs.AddRaplZone("intel-rapl:0:0", "dram", longTermUw: 20_000_000, maxPowerUw: 30_000_000);
            Package1 = Sysfs.AddRaplZone("intel-rapl:1", "package-1", longTermUw: Original1, maxPowerUw: maxPowerUw);
            Hwmon = Sysfs.AddHwmon(0, pwm: fanDuty, enable: 1, milliCelsius: milliCelsius);
            StateFile = Path.Combine(Sysfs.Root, "state", "actuators.json");
        }

        public FakeSysfs Sysfs { get; } = new();

        public string Package0 { get; }

        public string Package1 { get; }

        public string Hwmon { get; }

        public string StateFile { get; }

        public FirmwareConfig Config(double minCap = 40, double maxCap = 120) => new()
        {
            NodeId = 1,
            Rack = new RackConfig
            {
                Hardware = "linux",
                SysfsRoot = Sysfs.Root,
                StateFile = StateFile,
                BudgetWatts = 1000,
                MaxTemperatureC = 85,
                MinFanDuty = 0.3,
                Servers = [new ServerConfig { Name = "pkg", Count = 2, MinCapWatts = minCap, MaxCapWatts = maxCap }],
            },
        };

        public static long Limit(string zone) => long.Parse(FakeSysfs.Read(zone, "constraint_0_power_limit_uw"), System.Globalization.CultureInfo.InvariantCulture);

        // The kernel's counter moves under the open descriptor: +watts x seconds.
        public static void Burn(string zone, double watts, double seconds)
        {
            long energy = long.Parse(FakeSysfs.Read(zone, "energy_uj"), System.Globalization.CultureInfo.InvariantCulture);
            FakeSysfs.Write(zone, "energy_uj", energy + (long)(watts * seconds * 1e6));
        }

        public void Dispose() => Sysfs.Dispose();
    }

    private static void Step(RackController rack, double seconds = 1) => rack.Step(100, 14, double.NaN, seconds, seconds);

    [Fact]
    public void Caps_go_to_constraint_0_within_range_power_is_measured_and_stop_restores_the_originals()
    {
        using var board = new Board();
        using (var rack = new RackController(board.Config(), 1))
        {
            Step(rack);
            Board.Burn(board.Package0, 60, 2);
            Board.Burn(board.Package1, 40, 2);
            Step(rack, 2);

            Assert.Equal(100, rack.Reading.PowerWatts, 3);
            foreach (string zone in new[] { board.Package0, board.Package1 })
            {
                long limit = Board.Limit(zone);
                Assert.InRange(limit, 40_000_000, 120_000_000);
            }
            Assert.NotEqual(Original0, Board.Limit(board.Package0));
            Assert.Equal("77", FakeSysfs.Read(board.Hwmon, "pwm1").Trim()); // manual fan at 40 raised to ceil(0.3 x 255)
            Assert.Equal(0, rack.Reading.HardwareErrors);
            Assert.True(File.Exists(board.StateFile), "originals are journalled before the first change");

            rack.Restore();
        }

        Assert.Equal(Original0, Board.Limit(board.Package0));
        Assert.Equal(Original1, Board.Limit(board.Package1));
        Assert.Equal("40", FakeSysfs.Read(board.Hwmon, "pwm1").Trim());
        Assert.False(File.Exists(board.StateFile));
    }

    [Fact]
    public void The_board_example_is_valid()
    {
        // As an operator installs it: the example and the cluster key, plus the BMC's credentials file (chmod 600).
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-board.json"), Path.Combine(dir.Path, "edgegov-board.json"));
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path); // the example names signing.key beside it (each board makes its own)
        string credentials = dir.File("bmc-node-a.cred", "username=edgegov\npassword=change-me\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        ConfigLoadResult withoutCredentials = ConfigLoader.Load(Path.Combine(dir.Path, "edgegov-board.json"));
        Assert.Contains(withoutCredentials.Errors, e => e.Path == "$.rack.servers[2].bmc.credentialsFile"); // 0644: refused
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        ConfigLoadResult result = ConfigLoader.Load(Path.Combine(dir.Path, "edgegov-board.json"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("linux", result.Config!.Rack.Hardware);
        Assert.Equal("/", result.Config.Rack.SysfsRoot);
        Assert.Equal("follow-cap", result.Config.Rack.Cpufreq);
        ServerConfig node = result.Config.Rack.Servers[2];
        Assert.Equal(credentials, node.Bmc!.CredentialsFile);
        Assert.Equal(17, node.Outlet!.Line);
        Assert.True(node.Outlet.ActiveLow);
    }

    [Fact]
    public void A_steady_control_step_on_the_sysfs_backend_allocates_nothing()
    {
        using var board = new Board();
        using var rack = new RackController(board.Config(), 1);
        for (int i = 0; i < 5; i++)
        {
            Step(rack);
        }

        AllocationAssert.NothingInSteadyState(20, () => Step(rack));
        Assert.Equal(0, rack.Reading.HardwareErrors);
        rack.Restore();
    }

    [Fact]
    public void Caps_are_clamped_into_the_zone_range_and_the_thermal_envelope_holds()
    {
        // The zone allows at most 50 W although the configuration says 60..120 W: the zone wins.
        using (var board = new Board(maxPowerUw: 50_000_000))
        using (var rack = new RackController(board.Config(minCap: 60), 1))
        {
            Step(rack);
            Assert.Equal(50_000_000, Board.Limit(board.Package0));
            Assert.Equal(50_000_000, Board.Limit(board.Package1));
            rack.Restore();
        }

        // 95 degC is above rack.maxTemperatureC: every package goes to its minimum cap.
        using (var board = new Board(milliCelsius: 95_000))
        using (var rack = new RackController(board.Config(), 1))
        {
            Step(rack);
            Assert.Equal(95, rack.Reading.MaxTemperatureC);
            Assert.Equal(40_000_000, Board.Limit(board.Package0));
            Assert.Equal(40_000_000, Board.Limit(board.Package1));
            Assert.True(rack.Reading.EnvelopeActions >= 2);
            rack.Restore();
        }
    }

    [Fact]
    public void A_state_file_left_by_a_crash_is_restored_at_the_next_start()
    {
        using var board = new Board();
        using (var crashed = new RackController(board.Config(), 1))
        {
            Step(crashed);
            // No Restore: the process died here.
        }
        Assert.NotEqual(Original0, Board.Limit(board.Package0));
        Assert.True(File.Exists(board.StateFile));

        using (var next = new RackController(board.Config(), 1))
        {
            // Recovered before the first step.
            Assert.Equal(Original0, Board.Limit(board.Package0));
            Assert.Equal(Original1, Board.Limit(board.Package1));
            Assert.Equal("40", FakeSysfs.Read(board.Hwmon, "pwm1").Trim());
            Assert.False(File.Exists(board.StateFile));

            Step(next);
            Assert.NotEqual(Original0, Board.Limit(board.Package0));
            next.Restore();
        }
        Assert.Equal(Original0, Board.Limit(board.Package0));
    }

    [Fact]
    public void Garbage_and_unwritable_files_are_counted_and_the_loop_carries_on()
    {
        using var board = new Board();
        using var rack = new RackController(board.Config(), 1);
        Step(rack);
        Assert.Equal(0, rack.Reading.HardwareErrors);

        // Open descriptors keep reading the old files; new writes meet the broken ones.
        FakeSysfs.WriteRaw(board.Package0, "energy_uj", "garbage\n");
        FakeSysfs.MakeWriteProtected(board.Package0, "constraint_0_power_limit_uw"); // EACCES on write, like a BIOS lock
        FakeSysfs.MakeUnreadable(board.Package1, "constraint_0_power_limit_uw"); // a directory: EISDIR on write
        FakeSysfs.Write(board.Hwmon, "temp1_input", 95_000); // forces new (minimum) caps to be written

        for (int i = 0; i < 3; i++)
        {
            Step(rack);
        }

        // 3 garbage counters + 1 locked write (not retried) + 3 refused writes to the directory.
        Assert.Equal(7, rack.Reading.HardwareErrors);
        Assert.Equal(95, rack.Reading.MaxTemperatureC);
        Assert.Equal(80, rack.Reading.CapWatts);
        rack.Restore(); // the two broken limits cannot be put back; the rest is, and nothing throws
        Assert.Equal("40", FakeSysfs.Read(board.Hwmon, "pwm1").Trim());
    }
}
