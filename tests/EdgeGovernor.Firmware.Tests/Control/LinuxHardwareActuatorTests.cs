using System.Device.Gpio;
using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// The linux backend's cpufreq follow rule and its outlet relays, against a fake sysfs tree laid out like the kernel's
/// (two RAPL packages; cpufreq <c>policy0..3</c> under <c>/sys/devices/system/cpu/cpufreq</c> with <c>affected_cpus</c>
/// and <c>cpuN/topology/physical_package_id</c>: policies 0-1 on package 0, 2-3 on package 1) and, for the relays,
/// hal's simulated GPIO chip behind the same <c>GpioDriver</c> seam as the character device driver.
/// </summary>
public sealed class LinuxHardwareActuatorTests
{
    private const long MinKhz = 800_000;
    private const long MaxKhz = 3_600_000;

    private sealed class Board : IDisposable
    {
        public Board(bool topology = true)
        {
            Package0 = Sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
            Package1 = Sysfs.AddRaplZone("intel-rapl:1", "package-1", longTermUw: 118_000_000);
            Sysfs.AddHwmon(0, enable: 2);
            // policy0/1: acpi-cpufreq with scaling_available_frequencies; policy2/3: amd-pstate-epp without.
            for (int n = 0; n < 4; n++)
            {
                Policies[n] = Sysfs.AddCpuFreqPolicy(n, MinKhz, MaxKhz, epp: n >= 2, availableFrequencies: n < 2);
                if (topology)
                {
                    for (int cpu = 2 * n; cpu <= (2 * n) + 1; cpu++)
                    {
                        string dir = Path.Combine(Sysfs.Root, $"sys/devices/system/cpu/cpu{cpu}/topology");
                        Directory.CreateDirectory(dir);
                        FakeSysfs.Write(dir, "physical_package_id", n < 2 ? 0 : 1);
                    }
                }
            }
            StateFile = Path.Combine(Sysfs.Root, "state", "actuators.json");
        }

        public FakeSysfs Sysfs { get; } = new();

        public string Package0 { get; }

        public string Package1 { get; }

        public string[] Policies { get; } = new string[4];

        public string StateFile { get; }

        public RackConfig Rack(string cpufreq = "follow-cap", OutletConfig? outlet = null, bool protectedServer = false) => new()
        {
            Hardware = "linux",
            SysfsRoot = Sysfs.Root,
            StateFile = StateFile,
            Cpufreq = cpufreq,
            BudgetWatts = 1000,
            Servers =
            [
                new ServerConfig { Name = "a", Count = 1, MinCapWatts = 40, MaxCapWatts = 120, Outlet = outlet, Protected = protectedServer },
                new ServerConfig { Name = "b", Count = 1, MinCapWatts = 40, MaxCapWatts = 120, Protected = false },
            ],
        };

        public long MaxFreq(int policy) => long.Parse(FakeSysfs.Read(Policies[policy], "scaling_max_freq"), CultureInfo.InvariantCulture);

        public long MinFreq(int policy) => long.Parse(FakeSysfs.Read(Policies[policy], "scaling_min_freq"), CultureInfo.InvariantCulture);

        public void Dispose() => Sysfs.Dispose();
    }

    [Fact]
    public void Scaling_max_freq_follows_each_packages_cap_position_and_stop_restores_it()
    {
        using var board = new Board();
        using (var rack = new LinuxRack(board.Rack(), null))
        {
            rack.SetCap(0, 80);  // position 0.5 on package 0: 800 + 0.5 x 2800 MHz = 2200 MHz, which acpi-cpufreq offers
            rack.SetCap(1, 61);  // position 0.2625 on package 1: 1535 MHz, down to the 100 MHz grid of amd-pstate: 1500 MHz
            Assert.Equal(2_200_000, board.MaxFreq(0));
            Assert.Equal(2_200_000, board.MaxFreq(1));
            Assert.Equal(1_500_000, board.MaxFreq(2));
            Assert.Equal(1_500_000, board.MaxFreq(3));
            Assert.Equal(4, rack.Counters.CpufreqWrites);

            // Below 2200 MHz acpi-cpufreq offers only 800 MHz: the target snaps down to it.
            rack.SetCap(0, 70);
            Assert.Equal(MinKhz, board.MaxFreq(0));
            // Uncapped: cpuinfo_max_freq.
            rack.SetCap(1, 120);
            Assert.Equal(MaxKhz, board.MaxFreq(2));
            Assert.Equal(8, rack.Counters.CpufreqWrites);

            // Same targets again: no writes.
            rack.SetCap(0, 70);
            rack.SetCap(0, 71); // still snaps to 800 MHz
            rack.SetCap(1, 120);
            Assert.Equal(8, rack.Counters.CpufreqWrites);
            Assert.Equal(0, rack.Errors);
            Assert.Equal("balance_performance", FakeSysfs.Read(board.Policies[2], "energy_performance_preference").Trim()); // left alone

            rack.Restore();
        }

        for (int p = 0; p < 4; p++)
        {
            Assert.Equal(MaxKhz, board.MaxFreq(p));
            Assert.Equal(MinKhz, board.MinFreq(p));
        }
        Assert.False(File.Exists(board.StateFile));
    }

    [Fact]
    public void A_target_below_the_minimum_found_lowers_scaling_min_freq_too_and_both_come_back()
    {
        using var board = new Board();
        FakeSysfs.Write(board.Policies[0], "scaling_min_freq", 2_200_000);
        using (var rack = new LinuxRack(board.Rack(), null))
        {
            rack.SetCap(0, 40);
            Assert.Equal(MinKhz, board.MaxFreq(0));
            Assert.Equal(MinKhz, board.MinFreq(0));
            Assert.Equal(MinKhz, board.MinFreq(1)); // policy1's minimum was already 800 MHz
            rack.Restore();
        }
        Assert.Equal(2_200_000, board.MinFreq(0));
        Assert.Equal(MaxKhz, board.MaxFreq(0));
    }

    [Fact]
    public void Without_topology_every_policy_follows_the_lowest_cap_and_off_leaves_them_alone()
    {
        using (var board = new Board(topology: false))
        using (var rack = new LinuxRack(board.Rack(), null))
        {
            rack.SetCap(0, 120);
            rack.SetCap(1, 40);
            for (int p = 0; p < 4; p++)
            {
                Assert.Equal(MinKhz, board.MaxFreq(p));
            }
            rack.Restore();
        }

        using (var board = new Board())
        using (var rack = new LinuxRack(board.Rack(cpufreq: "off"), null))
        {
            rack.SetCap(0, 40);
            rack.SetCap(1, 40);
            Assert.Equal(MaxKhz, board.MaxFreq(0));
            Assert.Equal(0, rack.Counters.CpufreqWrites);
            Assert.Equal(40_000_000, long.Parse(FakeSysfs.Read(board.Package0, "constraint_0_power_limit_uw"), CultureInfo.InvariantCulture));
            rack.Restore();
        }
    }

    [Fact]
    public void A_crash_with_lowered_frequencies_is_restored_at_the_next_start()
    {
        using var board = new Board();
        using (var crashed = new LinuxRack(board.Rack(), null))
        {
            crashed.SetCap(0, 40);
            crashed.SetCap(1, 40);
            // No Restore: the process died here.
        }
        Assert.Equal(MinKhz, board.MaxFreq(3));

        using (var next = new LinuxRack(board.Rack(), null))
        {
            Assert.True(next.Recovery.Restored >= 6);
            for (int p = 0; p < 4; p++)
            {
                Assert.Equal(MaxKhz, board.MaxFreq(p));
            }
            next.Restore();
        }
    }

    [Fact]
    public void Steady_steps_with_cpufreq_following_allocate_nothing_and_write_nothing()
    {
        using var board = new Board();
        var config = new FirmwareConfig { NodeId = 1, Rack = board.Rack() };
        using var rack = new RackController(config, 1);
        for (int i = 0; i < 5; i++)
        {
            rack.Step(100, 14, double.NaN, 1, 1);
        }
        long writes = rack.Reading.Hardware.CpufreqWrites;
        Assert.True(writes > 0, "the safe policy's caps are below the maximum: frequencies follow");
        Assert.True(board.MaxFreq(0) < MaxKhz);

        AllocationAssert.NothingInSteadyState(20, () => rack.Step(100, 14, double.NaN, 1, 1));
        Assert.Equal(writes, rack.Reading.Hardware.CpufreqWrites);
        Assert.Equal(0, rack.Reading.HardwareErrors);
        rack.Restore();
        Assert.Equal(MaxKhz, board.MaxFreq(0));
    }

    [Fact]
    public void An_unwritable_policy_is_counted_and_the_others_still_follow()
    {
        using var board = new Board();
        FakeSysfs.MakeWriteProtected(board.Policies[1], "scaling_max_freq");
        using var rack = new LinuxRack(board.Rack(), null);
        rack.SetCap(0, 40);
        rack.SetCap(0, 40);
        Assert.Equal(MinKhz, board.MaxFreq(0));
        Assert.Equal(1, rack.Errors); // written once per new target, not every period
        rack.SetCap(0, 120);
        Assert.Equal(2, rack.Errors);
        rack.Restore();
    }

    private static (LinuxRack Rack, SimulatedGpioDriver Chip, ManualClock Clock) WithOutlet(Board board, bool protectedServer = false)
    {
        SimulatedGpioDriver? chip = null;
        var clock = new ManualClock();
        var options = new LinuxRackOptions
        {
            GpioDriverFactory = name => chip = new SimulatedGpioDriver(name, 32, PinValue.Low),
            Time = clock,
        };
        var outlet = new OutletConfig { Chip = "/dev/gpiochip0", Line = 17, ActiveLow = true, MinimumDwellSeconds = 120, MaxTogglesPerHour = 3 };
        var rack = new LinuxRack(board.Rack(outlet: outlet, protectedServer: protectedServer), null, options);
        return (rack, chip!, clock);
    }

    [Fact]
    public void An_outlet_relay_switches_the_server_within_hals_dwell_and_toggle_cap_and_stop_puts_it_back()
    {
        using var board = new Board();
        (LinuxRack rack, SimulatedGpioDriver chip, ManualClock clock) = WithOutlet(board);
        using (rack)
        {
            Assert.True(rack.CanSwitch(0));
            Assert.False(rack.CanSwitch(1)); // neither outlet nor BMC
            Assert.False(rack.SetServerPower(1, false));
            Assert.True(rack.IsServerOn(0)); // active-low line found low: the outlet is on

            // The dwell counts from the takeover: refused, nothing written.
            Assert.False(rack.SetServerPower(0, false));
            Assert.Equal(PinValue.Low, chip.Level(17));
            Assert.Equal(1, rack.Counters.PowerRefused);

            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.True(rack.SetServerPower(0, false));
            Assert.Equal(PinValue.High, chip.Level(17));
            Assert.False(rack.IsServerOn(0));
            Assert.Equal(1, rack.Counters.RelayToggles);
            Assert.True(rack.SetServerPower(0, false)); // already off: no change, no toggle
            Assert.Equal(1, rack.Counters.RelayToggles);
            Assert.True(File.Exists(board.StateFile));

            Assert.False(rack.SetServerPower(0, true)); // inside the dwell
            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.True(rack.SetServerPower(0, true));
            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.True(rack.SetServerPower(0, false));
            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.False(rack.SetServerPower(0, true)); // the 4th change within the hour: over the cap of 3
            Assert.Equal(3, rack.Counters.RelayToggles);
            Assert.Equal(3, rack.Counters.PowerRefused);
            Assert.Equal(0, rack.Errors);

            rack.Restore();
            Assert.Equal(PinValue.Low, chip.Level(17)); // the level found at start: the outlet is on again
            Assert.False(rack.SetServerPower(0, false)); // stopped
        }
    }

    [Fact]
    public void An_outlet_switched_off_before_a_crash_is_switched_back_at_the_next_start()
    {
        using var board = new Board();
        var chip = new SimulatedGpioDriver("/dev/gpiochip0", 32, PinValue.Low); // the chip keeps its levels across runs
        var clock = new ManualClock();
        var options = new LinuxRackOptions { GpioDriverFactory = _ => chip, Time = clock };
        var outlet = new OutletConfig { Chip = "/dev/gpiochip0", Line = 17, ActiveLow = true };
        using (var crashed = new LinuxRack(board.Rack(outlet: outlet), null, options))
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            Assert.True(crashed.SetServerPower(0, false));
            // No Restore: the process died here.
        }
        Assert.Equal(PinValue.High, chip.Level(17));
        Assert.Contains("/dev/gpiochip0:17", File.ReadAllText(board.StateFile), StringComparison.Ordinal);

        using (var next = new LinuxRack(board.Rack(outlet: outlet), null, options))
        {
            Assert.True(next.Recovery.Complete);
            Assert.Equal(PinValue.Low, chip.Level(17)); // restored before the relay was taken over again
            Assert.True(next.IsServerOn(0));
            next.Restore();
        }
        Assert.False(File.Exists(board.StateFile));
    }

    [Fact]
    public void A_protected_server_is_never_powered_off_through_its_outlet()
    {
        using var board = new Board();
        (LinuxRack rack, SimulatedGpioDriver chip, ManualClock clock) = WithOutlet(board, protectedServer: true);
        using (rack)
        {
            clock.Advance(TimeSpan.FromHours(1));
            Assert.True(rack.CanSwitch(0));
            Assert.False(rack.SetServerPower(0, false));
            Assert.Equal(PinValue.Low, chip.Level(17));
            Assert.True(rack.SetServerPower(0, true)); // on is allowed (already on)
            Assert.Equal(1, rack.Counters.PowerRefused);
            rack.Restore();
        }
    }

    [Fact]
    public void The_outlet_and_bmc_settings_are_validated_with_their_paths()
    {
        using var dir = new TempDir();
        dir.SecretFile("k", "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        TestSigning.Write(dir.Path);
        string open = dir.File("open.cred", "username=admin\npassword=secret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }
        string json = """
        { "nodeId": 1, "roster": [1], "clusterKeyFile": "k",
          "rack": { "hardware": "linux", "cpufreq": "turbo", "budgetWatts": 5000, "servers": [
            { "name": "a", "count": 2, "outlet": { "chip": "gpiochip0", "line": -1, "minimumDwellSeconds": 0, "maxTogglesPerHour": 0 },
              "bmc": { "host": "bmc.local", "port": 0, "credentialsFile": "open.cred", "timeoutMs": 1, "retries": 11, "pollMs": 5,
                       "correctionTimeMs": 1, "samplingPeriodSeconds": 0, "exceptionAction": "explode", "powerOff": "gentle",
                       "minimumDwellSeconds": 0, "maxTogglesPerHour": 61 } },
            { "name": "b", "outlet": { "chip": "/dev/gpiochip0", "line": 4 }, "bmc": { "host": "10.0.0.9", "credentialsFile": "missing.cred" } },
            { "name": "c", "outlet": { "chip": "/dev/gpiochip0", "line": 4 }, "bmc": { "host": "10.0.0.9" } } ] } }
        """;
        ConfigLoadResult result = ConfigLoader.Parse(json, dir.Path);
        Assert.False(result.IsValid);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        string[] expected =
        [
            "$.rack.cpufreq", "$.rack.servers[0].count", "$.rack.servers[0].outlet.chip", "$.rack.servers[0].outlet.line",
            "$.rack.servers[0].outlet.minimumDwellSeconds", "$.rack.servers[0].outlet.maxTogglesPerHour", "$.rack.servers[0].bmc.host",
            "$.rack.servers[0].bmc.port", "$.rack.servers[0].bmc.credentialsFile", "$.rack.servers[0].bmc.timeoutMs",
            "$.rack.servers[0].bmc.retries", "$.rack.servers[0].bmc.pollMs", "$.rack.servers[0].bmc.correctionTimeMs",
            "$.rack.servers[0].bmc.samplingPeriodSeconds", "$.rack.servers[0].bmc.exceptionAction", "$.rack.servers[0].bmc.powerOff",
            "$.rack.servers[0].bmc.minimumDwellSeconds", "$.rack.servers[0].bmc.maxTogglesPerHour",
            "$.rack.servers[1].bmc.credentialsFile", "$.rack.servers[2].outlet", "$.rack.servers[2].bmc", "$.rack.servers[2].bmc.credentialsFile",
        ];
        foreach (string p in expected)
        {
            Assert.True(paths.Contains(p), $"no error for {p}; got:\n{string.Join("\n", result.Errors)}");
        }
        string all = string.Join("\n", result.Errors);
        Assert.Contains("chmod 600", all, StringComparison.Ordinal);
        Assert.Contains("already another server's outlet", all, StringComparison.Ordinal);
    }
}
