using System.Globalization;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>Builds a board (one RAPL package) plus a remote server reached through a BMC, for the BMC tests.</summary>
internal sealed class BmcBoard : IDisposable
{
    public BmcBoard(int bmcPort, int pollMs = 100, int timeoutMs = 2000, int retries = 2)
    {
        Package = Sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
        Sysfs.AddHwmon(0, enable: 2);
        StateFile = Path.Combine(Dir.Path, "state", "actuators.json");
        Credentials = Dir.File("bmc.cred", $"username={IpmiSimProcess.UserName}\npassword={IpmiSimProcess.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Bmc = new BmcConfig
        {
            Host = "127.0.0.1",
            Port = bmcPort,
            CredentialsFile = Credentials,
            PollMs = pollMs,
            TimeoutMs = timeoutMs,
            Retries = retries,
            CorrectionTimeMs = 2500,
            SamplingPeriodSeconds = 3,
        };
    }

    public TempDir Dir { get; } = new();

    public FakeSysfs Sysfs { get; } = new();

    public string Package { get; }

    public string StateFile { get; }

    public string Credentials { get; }

    public BmcConfig Bmc { get; }

    /// <summary>Server 0: this board's package; server 1: the remote machine behind the BMC.</summary>
    public RackConfig Rack() => new()
    {
        Hardware = "linux",
        SysfsRoot = Sysfs.Root,
        StateFile = StateFile,
        BudgetWatts = 2000,
        Servers =
        [
            new ServerConfig { Name = "board", Count = 1, MinCapWatts = 40, MaxCapWatts = 120 },
            new ServerConfig { Name = "remote", Count = 1, MinCapWatts = 100, MaxCapWatts = 300, Bmc = Bmc, Protected = false },
        ],
    };

    public static void WaitUntil(Func<bool> condition, string what, int seconds = 60) => NodeProcess.WaitUntil(condition, what, seconds);

    public void Dispose()
    {
        Sysfs.Dispose();
        Dir.Dispose();
    }
}

/// <summary>
/// The linux backend's BMCs against a real ipmi_sim (Debian openipmi) with the DCMI extension module of the hal tests,
/// read back with ipmitool: the DCMI reading becomes the server's measured power, its cap becomes an active DCMI limit
/// (with the configured correction time, sampling period and exception action), chassis control powers it off and on,
/// and stop (or the next start after a crash) deactivates the limit and puts the chassis back as found.
/// </summary>
[Collection("processes")]
public sealed class LinuxHardwareBmcTests(IpmiSimFixture sim) : IClassFixture<IpmiSimFixture>
{
    private async Task<string> LimitShownAsync() => await sim.IpmitoolAsync("dcmi", "power", "get_limit");

    private async Task ResetAsync()
    {
        await sim.IpmitoolAsync("chassis", "power", "on");
        await sim.IpmitoolAsync("dcmi", "power", "deactivate");
    }

    [IpmiSimFact]
    public async Task The_dcmi_reading_is_measured_the_cap_becomes_an_active_limit_and_stop_deactivates_it()
    {
        await ResetAsync();
        using var board = new BmcBoard(sim.Port);
        var power = new double[2];
        using (var rack = new LinuxRack(board.Rack(), null))
        {
            BmcAgent agent = rack.Bmcs[1]!;
            Assert.Null(rack.Bmcs[0]);
            Assert.NotNull(rack.Packages[0]);
            Assert.Null(rack.Packages[1]); // remote: no package of this board

            rack.SetCap(0, 80);
            rack.SetCap(1, 250.4);
            BmcBoard.WaitUntil(() => agent.LimitWrites >= 1 && agent.TryGetReading(out double w) && w == 250, "the limit and a capped reading");

            string shown = await LimitShownAsync();
            Assert.Contains("Power Limit Active", shown, StringComparison.Ordinal);
            Assert.Matches(@"Power Limit:\s*250\s+Watts", shown);
            Assert.Matches(@"Correction time:\s*2500 milliseconds", shown);
            Assert.Matches(@"Sampling period:\s*3 seconds", shown);
            Assert.Contains("Log Event to SEL", shown, StringComparison.Ordinal);
            Assert.Contains("\"dcmi\"", File.ReadAllText(board.StateFile), StringComparison.Ordinal);

            rack.Sample(1, power);
            Assert.Equal(250, power[1]); // the simulator's 320 W demand, held at the limit
            Assert.True(rack.IsServerOn(1));

            // Same cap (within a watt): nothing more is sent.
            long writes = agent.LimitWrites;
            rack.SetCap(1, 250.2);
            long turns = agent.Turns;
            BmcBoard.WaitUntil(() => agent.Turns >= turns + 3, "three more BMC turns");
            Assert.Equal(writes, agent.LimitWrites);

            rack.SetCap(1, 180);
            BmcBoard.WaitUntil(() => agent.TryGetReading(out double w) && w == 180, "the new limit");
            Assert.Equal(0, rack.Errors);
            Assert.Equal(2, rack.Counters.DcmiLimitWrites);

            // 30 W is below what this BMC accepts (completion code 0x84): counted once, not resent every turn, the BMC
            // keeps 180 W and stays reachable.
            rack.SetCap(1, 30);
            BmcBoard.WaitUntil(() => agent.Errors >= 1, "the refusal");
            turns = agent.Turns;
            BmcBoard.WaitUntil(() => agent.Turns >= turns + 3, "three more BMC turns");
            Assert.Equal(1, agent.Errors);
            Assert.True(agent.Reachable);
            Assert.Equal(2, rack.Counters.DcmiLimitWrites);
            Assert.True(agent.TryGetReading(out double held));
            Assert.Equal(180, held);

            rack.Restore();
        }

        Assert.Contains("No Active Power Limit", await LimitShownAsync(), StringComparison.Ordinal);
        Assert.Matches(@"Instantaneous power reading:\s*320 Watts", await sim.IpmitoolAsync("dcmi", "power", "reading"));
        Assert.False(File.Exists(board.StateFile));
    }

    [IpmiSimFact]
    public async Task Chassis_control_powers_the_remote_server_off_and_stop_powers_it_on_again()
    {
        await ResetAsync();
        using var board = new BmcBoard(sim.Port);
        var clock = new ManualClock();
        using (var rack = new LinuxRack(board.Rack(), null, new LinuxRackOptions { Time = clock }))
        {
            BmcAgent agent = rack.Bmcs[1]!;
            Assert.True(rack.CanSwitch(1));
            Assert.False(rack.CanSwitch(0));
            BmcBoard.WaitUntil(() => agent.ChassisOn == true, "the chassis status");
            Assert.True(rack.SetServerPower(1, true)); // already on: nothing to do

            // The chassis has the outlet's protection too: the dwell counts from the takeover.
            Assert.False(rack.SetServerPower(1, false));
            Assert.Equal(1, rack.Counters.PowerRefused);
            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.True(rack.SetServerPower(1, false));
            BmcBoard.WaitUntil(() => agent.ChassisOn == false, "the server to power off");
            Assert.Matches(@"System Power\s*:\s*off", await sim.IpmitoolAsync("chassis", "status"));
            Assert.Contains("set shutdown 1", sim.ChassisLog, StringComparison.Ordinal); // soft off (ACPI) by default
            Assert.False(rack.IsServerOn(1));
            var power = new double[2];
            BmcBoard.WaitUntil(() => { rack.Sample(1, power); return power[1] == 0; }, "a 0 W reading");
            Assert.Equal(1, rack.Counters.ChassisCommands);
            Assert.False(rack.SetServerPower(1, true)); // inside the dwell again
            Assert.Equal(2, rack.Counters.PowerRefused);
            Assert.Equal(0, rack.Errors);

            rack.Restore();
        }

        Assert.Matches(@"System Power\s*:\s*on", await sim.IpmitoolAsync("chassis", "status"));
        Assert.False(File.Exists(board.StateFile));
    }

    [IpmiSimFact]
    public async Task A_limit_left_by_a_crash_is_deactivated_at_the_next_start()
    {
        await ResetAsync();
        using var board = new BmcBoard(sim.Port);
        using (var crashed = new LinuxRack(board.Rack(), null))
        {
            crashed.SetCap(0, 60);
            crashed.SetCap(1, 200);
            BmcBoard.WaitUntil(() => crashed.Bmcs[1]!.LimitWrites >= 1, "the limit");
            // No Restore: the process died here.
        }
        Assert.Contains("Power Limit Active", await LimitShownAsync(), StringComparison.Ordinal);
        Assert.True(File.Exists(board.StateFile));

        using (var next = new LinuxRack(board.Rack(), null))
        {
            Assert.True(next.Recovery.Complete, string.Join("; ", next.Recovery.Failures.Select(f => f.Error.Message)));
            Assert.Equal(2, next.Recovery.Restored); // the package limit and the DCMI limit
            Assert.Equal(124_000_000, long.Parse(FakeSysfs.Read(board.Package, "constraint_0_power_limit_uw"), CultureInfo.InvariantCulture));
            Assert.Contains("No Active Power Limit", await LimitShownAsync(), StringComparison.Ordinal);
            next.Restore();
        }
    }
}

/// <summary>A BMC that never answers: counted, logged once, its server refused power changes; the control loop goes on.</summary>
public sealed class LinuxHardwareSilentBmcTests
{
    [Fact]
    public void A_bmc_that_does_not_answer_is_counted_logged_once_and_never_blocks_the_control_step()
    {
        // A UDP port nobody listens on: ICMP port unreachable, i.e. no answer.
        using var board = new BmcBoard(FreePorts.Udp(), pollMs: 100, timeoutMs: 20, retries: 0);
        var log = new StringWriter();
        var logger = new Logger("test", LogLevel.Debug, TextWriter.Synchronized(log));
        var config = new FirmwareConfig { NodeId = 1, Rack = board.Rack() };
        using var rack = new RackController(config, 1, logger);
        for (int i = 0; i < 3; i++)
        {
            rack.Step(100, 14, double.NaN, 1, 1);
        }

        BmcBoard.WaitUntil(() => { rack.Step(100, 14, double.NaN, 1, 1); return rack.Reading.Hardware.BmcErrors >= 3; }, "three failed BMC turns");
        Assert.Equal(1, rack.Reading.Hardware.BmcsUnreachable);
        Assert.True(rack.Reading.HardwareErrors >= 3);
        Assert.Equal(0, rack.Reading.Hardware.DcmiLimitWrites);
        Assert.Single(Regex.Matches(log.ToString(), "BMC 127.0.0.1:"));

        // The BMC's loop runs elsewhere: the control step still allocates nothing.
        AllocationAssert.NothingInSteadyState(20, () => rack.Step(100, 14, double.NaN, 1, 1));
        Assert.True(rack.Reading.CapWatts > 0);
        rack.Restore();
        Assert.False(File.Exists(board.StateFile), "nothing reached the BMC, so nothing was journalled for it");
    }

    [Fact]
    public void Power_requests_to_a_bmc_that_does_not_answer_are_refused()
    {
        using var board = new BmcBoard(FreePorts.Udp(), pollMs: 100, timeoutMs: 20, retries: 0);
        var clock = new ManualClock();
        using var rack = new LinuxRack(board.Rack(), null, new LinuxRackOptions { Time = clock });
        clock.Advance(TimeSpan.FromHours(1)); // past the chassis dwell: only the silence refuses
        BmcBoard.WaitUntil(() => !rack.Bmcs[1]!.Reachable, "the BMC to be marked unreachable");
        Assert.True(rack.CanSwitch(1));
        Assert.False(rack.SetServerPower(1, false));
        Assert.Equal(1, rack.Counters.PowerRefused);
        Assert.True(rack.IsServerOn(1)); // unknown: assumed on
        rack.Restore();
    }
}

/// <summary>The real <c>edgegov run</c> on a fake board plus a server behind ipmi_sim: limit applied, SIGTERM restores it.</summary>
[Collection("processes")]
public sealed class LinuxHardwareBmcProcessTests(IpmiSimFixture sim) : IClassFixture<IpmiSimFixture>
{
    private static double MetricOrNaN(NodeProcess node, string series)
    {
        try
        {
            return node.Metric(series);
        }
        catch (InvalidOperationException)
        {
            return double.NaN; // not serving yet
        }
    }

    [IpmiSimFact]
    public async Task Edgegov_run_applies_a_dcmi_limit_reads_dcmi_power_and_restores_everything_on_SIGTERM()
    {
        await sim.IpmitoolAsync("chassis", "power", "on");
        await sim.IpmitoolAsync("dcmi", "power", "deactivate");
        using var board = new BmcBoard(sim.Port, pollMs: 200);
        board.Sysfs.AddCpuFreqPolicy(0);
        var (group, port) = TransportTests.FreshGroup();
        string key = board.Dir.File("cluster.key", "1:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\n");
        FirmwareConfig config = NodeProcess.ConfigFor(1, [1], board.Dir, group, port, key);
        config.Rack = board.Rack();
        static long Limit(string zone) => LinuxHardwareProcessTests.ReadWhileWritten(zone, "constraint_0_power_limit_uw");
        string policy = Path.Combine(board.Sysfs.Root, "sys/devices/system/cpu/cpufreq/policy0");

        using (NodeProcess node = NodeProcess.Start(config, board.Dir))
        {
            NodeProcess.WaitUntil(() => node.HasExited || MetricOrNaN(node, "edgegov_dcmi_limit_writes_total") >= 1, "a DCMI limit");
            Assert.False(node.HasExited, node.Log);
            string shown = await sim.IpmitoolAsync("dcmi", "power", "get_limit");
            Assert.Contains("Power Limit Active", shown, StringComparison.Ordinal);
            int watts = int.Parse(Regex.Match(shown, @"Power Limit:\s*(\d+)\s+Watts").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(watts, 100, 300);
            Assert.InRange(Limit(board.Package), 40_000_000, 120_000_000);
            // The fake package's energy counter stands still (0 W): whatever the rack measures is the remote server's DCMI
            // reading, which the simulator holds at the limit in force (100..300 W, moving with the price).
            NodeProcess.WaitUntil(() => node.Metric("edgegov_rack_power_watts") >= 100, "the DCMI reading in the rack's power");
            Assert.InRange(node.Metric("edgegov_rack_power_watts"), 100, 300);
            Assert.Equal(0, node.Metric("edgegov_bmc_errors_total"));
            Assert.True(node.Metric("edgegov_cpufreq_writes_total") >= 1);
            Assert.Equal(0, node.Terminate(TimeSpan.FromSeconds(30)));
            Assert.Contains("restored", node.Log, StringComparison.Ordinal);
        }

        Assert.Contains("No Active Power Limit", await sim.IpmitoolAsync("dcmi", "power", "get_limit"), StringComparison.Ordinal);
        Assert.Equal(124_000_000, Limit(board.Package));
        Assert.Equal("3600000", FakeSysfs.Read(policy, "scaling_max_freq").Trim());
        Assert.False(File.Exists(config.Rack.StateFile));
    }
}
