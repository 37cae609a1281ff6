using System.Diagnostics;
using System.Net;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// Every call ends within its configured total time with an error that says what happened: stale replies are
/// counted as stale (not malformed), ICMP port unreachable fails at once.
/// </summary>
public sealed class IpmiCallBoundTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_call_that_needs_a_new_session_on_a_slow_bmc_ends_within_its_call_timeout_as_a_timeout()
    {
        // The session works once; then the BMC stops answering commands and answers every set-up step late
        // (0.9 timeouts): re-setting up the session and sending again would take about 12.5 timeouts.
        TimeSpan timeout = TimeSpan.FromMilliseconds(200);
        bool answering = true;
        using ScriptedBmc bmc = new(r => answering ? new ScriptedBmc.Reply(0, [0x01, 0, 0]) : null);
        IpmiBmcOptions options = bmc.Options(timeout, retries: 3);
        await using IpmiBmc client = new(options);
        await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard);
        answering = false;
        bmc.Drop = (kind, _) =>
        {
            if (kind != ScriptedBmc.ReplyKind.Command)
            {
                Thread.Sleep(timeout * 0.9);
            }

            return false;
        };

        Stopwatch sw = Stopwatch.StartNew();
        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));
        sw.Stop();

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        // The bound, not the clock, ended the call: the error says the call's time is used up. The wall-clock check is
        // loose (2 s over the bound) because a loaded CI host adds scheduling delay to every step (2,495 ms seen there);
        // without the bound the call would take about 12.5 timeouts plus that delay.
        Assert.Contains("are used up", e.Message, StringComparison.Ordinal);
        Assert.True(sw.Elapsed <= options.EffectiveCallTimeout + TimeSpan.FromSeconds(2), $"{sw.ElapsedMilliseconds} ms for a call bounded by {options.EffectiveCallTimeout.TotalMilliseconds} ms: {e.Message}");
        Assert.Equal(TimeSpan.FromMilliseconds(1600), options.EffectiveCallTimeout); // 2 x 200 ms x (3 + 1)
    }

    [Fact]
    public async Task A_configured_call_timeout_bounds_every_attempt_and_the_error_says_it_is_used_up()
    {
        using ScriptedBmc bmc = new(_ => null) { SilentAt = ScriptedBmc.ReplyKind.ChannelAuth };
        IpmiBmcOptions options = bmc.Options(TimeSpan.FromMilliseconds(400), retries: 10) with { CallTimeout = TimeSpan.FromMilliseconds(900) };
        await using IpmiBmc client = new(options);

        Stopwatch sw = Stopwatch.StartNew();
        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        // Upper end loose (a loaded CI host delays every step); without the bound the 11 attempts take 4.4 s.
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(900) + TimeSpan.FromSeconds(2));
        // 3 attempts on an idle machine (400 + 400 + the last 100 ms); a loaded host fires the timers late, so fewer or
        // more partial attempts fit: the count is not the point, the bound is.
        Assert.Matches(@"after [1-9] attempt\(s\) of at most 400 ms", e.Message);
        Assert.Contains("the call's 900 ms are used up", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Late_replies_of_an_old_session_during_set_up_are_stale_and_the_call_ends_as_a_timeout()
    {
        // A datagram of another (earlier) RMCP+ session arrives instead of the capabilities reply; the BMC says nothing else.
        using ScriptedBmc bmc = new(_ => null) { SilentAt = ScriptedBmc.ReplyKind.ChannelAuth };
        byte[] stale = [0x06, 0x00, 0xFF, 0x07, 0x06, 0xC0, 0x78, 0x56, 0x34, 0x12, 0x09, 0, 0, 0, 0x20, 0x00, .. new byte[32], 0xFF, 0xFF, 0x02, 0x07, .. new byte[12]];
        bmc.Before.Enqueue(stale);
        bmc.Before.Enqueue(stale);
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(200), retries: 1));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.Contains("Get Channel Authentication Capabilities: no reply", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, client.RepliesStale);
        Assert.Equal(0, client.RepliesDropped);
    }

    [Fact]
    public async Task Duplicate_replies_inside_the_session_are_counted_stale()
    {
        // The BMC sends every command reply twice (same datagram): the copy is a replayed sequence number.
        using ScriptedBmc bmc = new(r => new ScriptedBmc.Reply(0, [0x01, 0, 0])) { Duplicate = true };
        await using IpmiBmc client = new(bmc.Options(TimeSpan.FromMilliseconds(300), retries: 1));

        for (int i = 0; i < 3; i++)
        {
            Assert.True((await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard)).PowerOn);
        }

        Assert.InRange(client.RepliesStale, 3, 4); // set-up's Set Session Privilege Level and the first two commands (the third's copy may still be on its way)
        Assert.Equal(0, client.RepliesDropped);
        Assert.Equal(0, client.Retransmissions);
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_is_reported_at_once_as_unreachable()
    {
        IPEndPoint closed = new(IPAddress.Loopback, FreePorts.Udp());
        await using IpmiBmc client = new(new IpmiBmcOptions(closed, new IpmiCredentials("admin", "pw")) { Timeout = TimeSpan.FromSeconds(2), Retries = 3 });

        Stopwatch sw = Stopwatch.StartNew();
        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await client.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.Unreachable, e.Kind);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"{sw.ElapsedMilliseconds} ms");
        Assert.Contains("ICMP port unreachable", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt(s)", e.Message, StringComparison.Ordinal);
    }
}
