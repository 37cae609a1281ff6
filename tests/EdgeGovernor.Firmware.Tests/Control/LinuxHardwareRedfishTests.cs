using System.Globalization;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.TestSupport.Redfish;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// The linux backend's Redfish BMC and Redfish PDU outlet against the project's stateful Redfish simulator (the hal tests'
/// <c>RedfishSimulator</c>: actions change state, sessions are checked): each on its own loop, the BMC's reading becomes the
/// server's measured power, its cap the Control's SetPoint in Automatic mode, the outlet switches the server off, the
/// originals are journalled and put back on stop and after a crash.
/// </summary>
public sealed class LinuxHardwareRedfishTests
{
    private const string Cap = "/redfish/v1/Chassis/C1/Controls/Cap";
    private const string O1 = "/redfish/v1/PowerEquipment/RackPDUs/P1/Outlets/O1";

    [Fact]
    public async Task The_bmc_caps_and_reads_the_outlet_switches_and_stop_restores_both()
    {
        await using var sim = new RedfishSimulator();
        using var board = new RedfishBoard(sim.BaseAddress, sim.BaseAddress, RedfishSimulator.User, RedfishSimulator.Password);
        var clock = new ManualClock();
        var power = new double[2];
        using (var rack = new LinuxRack(board.Rack(), null, new LinuxRackOptions { Time = clock }))
        {
            BmcAgent agent = rack.Bmcs[1]!;
            RedfishPduAgent pdu = Assert.Single(rack.Pdus);
            Assert.Null(rack.Bmcs[0]);
            Assert.Null(rack.Packages[1]); // remote: no package of this board
            Assert.True(rack.CanSwitch(1));

            rack.SetCap(1, 260.4);
            BmcBoard.WaitUntil(() => agent.LimitWrites >= 1 && agent.TryGetReading(out _) && pdu.IsOn(0) == true, "the limit, a reading and the outlet's state");
            Assert.Equal(260, (int)sim.Get(Cap, "SetPoint")!);
            Assert.Equal("Automatic", (string)sim.Get(Cap, "ControlMode")!);
            rack.Sample(1, power);
            Assert.Equal(250, power[1]); // EnvironmentMetrics.PowerWatts 250.4 W, in whole watts as IBmc reads (DCMI), on the BMC's loop
            string journal = File.ReadAllText(board.StateFile);
            Assert.Contains(sim.BaseAddress.GetLeftPart(UriPartial.Authority), journal, StringComparison.Ordinal);

            // The outlet's dwell counts from the takeover, then the request goes to the PDU's loop.
            Assert.False(rack.SetServerPower(1, false));
            clock.Advance(TimeSpan.FromSeconds(121));
            Assert.True(rack.SetServerPower(1, false));
            BmcBoard.WaitUntil(() => pdu.IsOn(0) == false, "the outlet off");
            Assert.Equal("Off", (string)sim.Get(O1, "PowerState")!);
            Assert.False(rack.IsServerOn(1));
            Assert.Equal(1, pdu.Switches);
            Assert.Contains(RedfishPduAgent.OutletKind, File.ReadAllText(board.StateFile), StringComparison.Ordinal);
            Assert.Equal(1, rack.Counters.RelayToggles);
            Assert.Equal(0, rack.Counters.BmcsUnreachable);

            var report = rack.Restore();
            Assert.True(report.Complete, string.Join("; ", report.Failures.Select(f => f.Error.Message)));
        }
        Assert.Equal("Disabled", (string)sim.Get(Cap, "ControlMode")!);
        Assert.Equal("On", (string)sim.Get(O1, "PowerState")!);
        Assert.False(File.Exists(board.StateFile));
        Assert.Equal(124_000_000, long.Parse(FakeSysfs.Read(board.Package, "constraint_0_power_limit_uw"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_limit_and_an_outlet_left_by_a_crash_are_restored_at_the_next_start()
    {
        await using var sim = new RedfishSimulator();
        using var board = new RedfishBoard(sim.BaseAddress, sim.BaseAddress, RedfishSimulator.User, RedfishSimulator.Password, outlet: "O2");
        board.Outlet.MinimumDwellSeconds = 1;
        var clock = new ManualClock();
        using (var crashed = new LinuxRack(board.Rack(), null, new LinuxRackOptions { Time = clock }))
        {
            crashed.SetCap(0, 60);
            crashed.SetCap(1, 300);
            BmcBoard.WaitUntil(() => crashed.Bmcs[1]!.LimitWrites >= 1 && crashed.Pdus[0].IsOn(0) == true, "the limit and the outlet's state");
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.True(crashed.SetServerPower(1, false));
            BmcBoard.WaitUntil(() => crashed.Pdus[0].IsOn(0) == false, "the outlet off");
            // No Restore: the process died here.
        }
        Assert.Equal("Automatic", (string)sim.Get(Cap, "ControlMode")!);
        Assert.Equal("Off", (string)sim.Get("/redfish/v1/PowerEquipment/RackPDUs/P1/Outlets/O2", "PowerState")!);

        using (var next = new LinuxRack(board.Rack(), null))
        {
            Assert.True(next.Recovery.Complete, string.Join("; ", next.Recovery.Failures.Select(f => f.Error.Message)));
            Assert.Equal(3, next.Recovery.Restored); // the Redfish limit, the outlet, and the package's limit
            Assert.Equal("Disabled", (string)sim.Get(Cap, "ControlMode")!);
            Assert.Equal("On", (string)sim.Get("/redfish/v1/PowerEquipment/RackPDUs/P1/Outlets/O2", "PowerState")!);
            next.Restore();
        }
    }

    [Fact]
    public async Task A_pdu_that_does_not_answer_is_counted_and_refuses_switching()
    {
        await using var sim = new RedfishSimulator();
        using var board = new RedfishBoard(sim.BaseAddress, new Uri("http://127.0.0.1:9"), RedfishSimulator.User, RedfishSimulator.Password);
        board.Outlet.Redfish!.TimeoutMs = 200;
        board.Outlet.Redfish.Retries = 0;
        var clock = new ManualClock();
        using var rack = new LinuxRack(board.Rack(), null, new LinuxRackOptions { Time = clock });
        RedfishPduAgent pdu = rack.Pdus[0];
        BmcBoard.WaitUntil(() => !pdu.Reachable, "the PDU to be marked unreachable");
        Assert.NotNull(pdu.LastError);
        clock.Advance(TimeSpan.FromSeconds(121));
        Assert.False(rack.SetServerPower(1, false));
        Assert.True(rack.Counters.PowerRefused >= 1);
        Assert.True(rack.Counters.BmcsUnreachable >= 1);
        Assert.True(rack.Errors >= 1);
        rack.Restore();
    }
}
