using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;
using Xunit.Abstractions;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// ipmi_sim on a simulator of its own: a power cycle sent while it is paused (SIGSTOP) runs once, an OEM exception
/// action reads as OEM, a lost RAKP 4 and 30 % reply loss do not fail session set-up, an unknown user is named.
/// </summary>
public sealed class IpmiSimHardeningTests(IpmiSimFixture sim, ITestOutputHelper output) : IClassFixture<IpmiSimFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(120);

    private static int Count(string log, string line) => log.Split('\n').Count(l => l.Trim() == line);

    [IpmiSimFact]
    public async Task A_power_cycle_sent_while_the_bmc_is_paused_for_1500_ms_runs_exactly_once()
    {
        await using IpmiBmc bmc = new(sim.Options() with { Timeout = TimeSpan.FromSeconds(1), Retries = 3 });
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        int before = sim.ChassisLog.Length;

        await sim.PauseAsync();
        Task cycle = bmc.ChassisControlAsync(ChassisControl.PowerCycle).AsTask();
        await Task.Delay(1500);
        await sim.ResumeAsync();
        await cycle.WaitAsync(Guard);

        // ipmi_sim powers on again after a delay of its own; give a second cycle the time it would take to show.
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(30));
        while (!sim.ChassisLog[before..].Contains("set power 1", StringComparison.Ordinal))
        {
            await Task.Delay(100, guard.Token);
        }

        await Task.Delay(3000);
        Assert.True((await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard)).PowerOn);
        Assert.Equal(1, Count(sim.ChassisLog[before..], "set power 0"));
    }

    [IpmiSimFact]
    public async Task A_limit_with_an_oem_exception_action_set_by_another_tool_reads_as_oem()
    {
        await using IpmiBmc bmc = new(sim.Options());
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        // A vendor tool sets OEM action 0x07: Set Power Limit DC 000000 07 D200 C4090000 0000 0300, then activate.
        await sim.IpmitoolAsync("raw", "0x2c", "0x04", "0xdc", "0", "0", "0", "0x07", "0xd2", "0", "0xc4", "0x09", "0", "0", "0", "0", "3", "0");
        await sim.IpmitoolAsync("raw", "0x2c", "0x05", "0xdc", "1", "0", "0");

        PowerLimit? limit = await bmc.GetPowerLimitAsync().AsTask().WaitAsync(Guard);

        Assert.Equal(new PowerLimit(210, 2500, 3, (PowerLimitExceptionAction)0x07), limit);
        Assert.Equal("OEM 0x07", PowerLimitExceptionActions.Describe(limit!.Value.ExceptionAction));
        Assert.Contains("OEM reserved (07h)", await sim.IpmitoolAsync("dcmi", "power", "get_limit"), StringComparison.Ordinal);
        await bmc.ActivatePowerLimitAsync(false).AsTask().WaitAsync(Guard);
    }

    [IpmiSimFact]
    public async Task A_lost_rakp4_is_answered_inside_the_session_and_the_set_up_succeeds()
    {
        int rakp4 = 0;
        using UdpLossRelay relay = new(sim.EndPoint) { DropReply = (d, _) => SetUpsUnderLoss.IsRakp4(d.Span) && ++rakp4 == 1 };
        await using IpmiBmc bmc = new(sim.Options() with { Endpoint = relay.EndPoint, Timeout = TimeSpan.FromMilliseconds(500) });

        await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard);

        Assert.Equal(2, rakp4);
        Assert.Equal(1, bmc.SessionsEstablished);
        Assert.Equal(0, bmc.RepliesDropped);
    }

    [IpmiSimFact]
    public async Task Thirty_set_ups_with_thirty_percent_reply_loss_all_succeed()
    {
        await SetUpsUnderLoss.RunAsync(sim.Options(), output);
    }

    [IpmiSimFact]
    public async Task An_unknown_user_is_named_from_the_rakp2_status()
    {
        await using IpmiBmc bmc = new(sim.Options(userName: "nobody"));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("unknown user 'nobody'", e.Message, StringComparison.Ordinal);
    }
}
