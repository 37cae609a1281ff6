using System.Globalization;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Tests.Control;

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
