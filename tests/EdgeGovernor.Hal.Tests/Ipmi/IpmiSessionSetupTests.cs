using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>Session set-up against a scripted BMC: a lost RAKP 4, reply loss, and what the error says about the user.</summary>
public sealed class IpmiSessionSetupTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static ScriptedBmc.Reply? Status(ScriptedBmc.Request r) => r.Cmd == 0x01 ? new ScriptedBmc.Reply(0, [0x01, 0, 0]) : null;

    [Fact]
    public async Task A_lost_rakp4_is_answered_inside_the_session_on_the_repeated_rakp3_and_accepted()
    {
        using ScriptedBmc bmc = new(Status) { Drop = (kind, n) => kind == ScriptedBmc.ReplyKind.Rakp4 && n == 1 };
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(200), retries: 3));

        Assert.True((await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard)).PowerOn);

        Assert.Equal(2, bmc.Rakp3Received);
        Assert.Equal(1, client.SessionsEstablished);
        Assert.Equal(1, bmc.SessionsOpened);
        Assert.Equal(0, client.RepliesDropped);
    }

    [Fact]
    public async Task Thirty_set_ups_with_thirty_percent_reply_loss_all_succeed()
    {
        Random loss = new(12);
        using ScriptedBmc bmc = new(Status) { Drop = (_, _) => loss.NextDouble() < 0.3 };

        for (int i = 0; i < 30; i++)
        {
            await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(100), retries: 6) with { CallTimeout = TimeSpan.FromSeconds(20) });
            Assert.True((await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard)).PowerOn);
            Assert.Equal(0, client.RepliesDropped);
        }

        Assert.True(bmc.Rakp3Received > 30, "some RAKP 4 replies were lost and answered again inside the session");
    }

    [Fact]
    public async Task An_unknown_user_answered_with_rakp2_status_0x0D_is_an_authentication_failure_naming_it()
    {
        using ScriptedBmc bmc = new(Status) { Rakp2Status = 0x0D };
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(200), retries: 1));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("unknown user 'admin'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_failure_naming_it()
    {
        using ScriptedBmc bmc = new(Status);
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(200), retries: 1) with { Credentials = new IpmiCredentials("admin", "not-pw") });

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("wrong password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bmc_silent_after_open_session_is_a_timeout_that_names_the_user()
    {
        // pyghmi 1.5.34 sends no RAKP 2 for a user it does not know.
        using ScriptedBmc bmc = new(Status) { SilentAt = ScriptedBmc.ReplyKind.Rakp2 };
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(400), retries: 1));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.Contains("RAKP 1/2: no reply", e.Message, StringComparison.Ordinal);
        Assert.Contains("may not know user 'admin'", e.Message, StringComparison.Ordinal);
    }
}
