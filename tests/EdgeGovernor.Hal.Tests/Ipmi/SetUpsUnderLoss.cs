using System.Diagnostics;
using EdgeGovernor.Hal.Ipmi;
using Xunit.Abstractions;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// 30 clients in a row, each setting up a session and reading Get Chassis Status through a <see cref="UdpLossRelay"/>
/// that drops 30 % of the BMC's replies (seeded): every set-up must succeed, and some RAKP 4 must have been lost.
/// </summary>
internal static class SetUpsUnderLoss
{
    /// <summary>RAKP 4, outside the session or inside it.</summary>
    public static bool IsRakp4(ReadOnlySpan<byte> datagram) => datagram.Length > 5 && datagram[4] == 0x06 && (datagram[5] & 0x3F) == 0x15;

    public static async Task RunAsync(IpmiBmcOptions options, ITestOutputHelper output)
    {
        Random loss = new(15);
        int rakp4Lost = 0;
        using UdpLossRelay relay = new(options.Endpoint)
        {
            DropReply = (d, _) =>
            {
                bool drop = loss.NextDouble() < 0.3;
                rakp4Lost += drop && IsRakp4(d.Span) ? 1 : 0;
                return drop;
            },
        };

        Stopwatch total = Stopwatch.StartNew();
        TimeSpan slowest = TimeSpan.Zero;
        long retransmissions = 0, stale = 0;
        for (int i = 0; i < 30; i++)
        {
            Stopwatch one = Stopwatch.StartNew();
            await using IpmiBmc bmc = new(options with { Endpoint = relay.EndPoint, Timeout = TimeSpan.FromMilliseconds(300), Retries = 6 });
            await bmc.GetChassisStatusAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(1, bmc.SessionsEstablished);
            slowest = one.Elapsed > slowest ? one.Elapsed : slowest;
            retransmissions += bmc.Retransmissions;
            stale += bmc.RepliesStale;
        }

        output.WriteLine($"30/30 set-ups + Get Chassis Status under 30 % reply loss: {total.ElapsedMilliseconds} ms, slowest {slowest.TotalMilliseconds:0} ms, "
            + $"{relay.DroppedReplies} replies dropped ({rakp4Lost} RAKP 4), {retransmissions} retransmissions, {stale} stale replies");
        Assert.True(rakp4Lost > 0, "no RAKP 4 was lost: the test did not exercise the repeat");
    }
}
