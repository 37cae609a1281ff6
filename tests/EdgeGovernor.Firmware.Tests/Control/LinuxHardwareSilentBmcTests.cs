using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Tests.Control;

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
