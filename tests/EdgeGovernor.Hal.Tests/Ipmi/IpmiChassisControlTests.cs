using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// Chassis Control is not idempotent and BMCs do not drop repeated requests: after a lost or late reply the client
/// reads the chassis state instead of sending the command again blindly (scripted BMC, exact counts).
/// </summary>
public sealed class IpmiChassisControlTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    private static Func<ScriptedBmc.Request, ScriptedBmc.Reply?> Script(Func<int, ScriptedBmc.Reply?> control, Func<bool> powerOn)
    {
        int controls = 0;
        return r => (r.NetFn, r.Cmd) switch
        {
            (0x00, 0x02) => control(++controls),
            (0x00, 0x01) => new ScriptedBmc.Reply(0, [(byte)(powerOn() ? 0x01 : 0x00), 0x00, 0x00]),
            _ => new ScriptedBmc.Reply(0xC1, []),
        };
    }

    [Fact]
    public async Task A_power_cycle_answered_late_by_a_slow_bmc_is_sent_once_and_settled_by_its_late_reply()
    {
        // The BMC takes 1.5 timeouts to answer a power cycle (issue 12, defect 15: three cycles on pyghmi).
        using ScriptedBmc bmc = new(Script(_ => new ScriptedBmc.Reply(0, [], Timeout * 1.5), () => true));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        await client.ChassisControlAsync(ChassisControl.PowerCycle).AsTask().WaitAsync(Guard);
        await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard); // every datagram sent so far has been handled

        Assert.Single(bmc.Commands(0x00, 0x02));
        Assert.Equal(1, client.ChassisReadBacks);
    }

    [Theory]
    [InlineData(ChassisControl.PowerCycle)]
    [InlineData(ChassisControl.HardReset)]
    [InlineData(ChassisControl.SoftOff)]
    public async Task A_cycle_reset_or_soft_off_whose_effect_cannot_be_confirmed_is_not_sent_again_and_the_error_says_so(ChassisControl action)
    {
        using ScriptedBmc bmc = new(Script(_ => null, () => true)); // carried out silently; the chassis reads on
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.ChassisControlAsync(action).AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.Contains("outcome unknown, not sent again", e.Message, StringComparison.Ordinal);
        Assert.Contains("reads power on", e.Message, StringComparison.Ordinal);
        Assert.Single(bmc.Commands(0x00, 0x02));
        Assert.Single(bmc.Commands(0x00, 0x01));
    }

    [Fact]
    public async Task A_power_cycle_whose_reply_is_lost_counts_as_done_when_the_chassis_reads_off()
    {
        bool on = true;
        using ScriptedBmc bmc = new(Script(_ => { on = false; return null; }, () => on));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        await client.ChassisControlAsync(ChassisControl.PowerCycle).AsTask().WaitAsync(Guard);

        Assert.Single(bmc.Commands(0x00, 0x02));
    }

    [Fact]
    public async Task Power_on_whose_reply_is_lost_is_not_sent_again_when_the_chassis_reads_on()
    {
        bool on = false;
        using ScriptedBmc bmc = new(Script(_ => { on = true; return null; }, () => on));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        await client.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);

        Assert.Single(bmc.Commands(0x00, 0x02));
        Assert.Equal(1, client.ChassisReadBacks);
    }

    [Fact]
    public async Task Power_off_is_sent_again_only_after_the_chassis_reads_that_it_did_not_take_effect()
    {
        bool on = true;
        // The first Power Off is lost before it reaches the chassis; the second is carried out and answered.
        using ScriptedBmc bmc = new(Script(n =>
        {
            if (n == 1)
            {
                return null;
            }

            on = false;
            return new ScriptedBmc.Reply(0, []);
        }, () => on));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        await client.ChassisControlAsync(ChassisControl.PowerOff).AsTask().WaitAsync(Guard);

        ScriptedBmc.Request[] sent = [.. bmc.Requests.Where(r => r.NetFn == 0x00)];
        Assert.Equal([0x02, 0x01, 0x02], sent.Select(r => r.Cmd)); // control, status read, control again
        Assert.False(on);
    }

    [Fact]
    public async Task Power_on_that_never_takes_effect_stops_after_the_retries_and_says_the_state()
    {
        using ScriptedBmc bmc = new(Script(_ => null, () => false));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 2));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.Contains("sent 3 time(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("still reads power off", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, bmc.Commands(0x00, 0x02).Count());
    }

    [Fact]
    public async Task A_refusal_in_a_late_reply_is_reported_as_its_completion_code()
    {
        using ScriptedBmc bmc = new(Script(_ => new ScriptedBmc.Reply(0xD5, [], Timeout * 1.5), () => true));
        await using IpmiBmc client = new(bmc.Options(Timeout, retries: 3));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.ChassisControlAsync(ChassisControl.PowerCycle).AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.CompletionCode, e.Kind);
        Assert.Contains("0xD5", e.Message, StringComparison.Ordinal);
        Assert.Single(bmc.Commands(0x00, 0x02));
    }
}
