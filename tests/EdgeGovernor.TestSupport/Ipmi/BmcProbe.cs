using System.Diagnostics;
using System.Net;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>Waits until a BMC process answers Get Channel Authentication Capabilities (hang guard: 20 s).</summary>
public static class BmcProbe
{
    /// <summary>Polls <paramref name="endPoint"/>; <paramref name="exited"/> returns why the process is gone, or null while it runs.</summary>
    public static async Task WaitUntilAnsweringAsync(IPEndPoint endPoint, Func<string?> exited, string name)
    {
        using IpmiUdpTransport t = new(endPoint);
        byte[] tx = new byte[64];
        byte[] rx = new byte[512];
        int n = RmcpPlusCodec.WriteGetChannelAuthCapabilities(tx, IpmiPrivilege.Administrator);
        Stopwatch sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (exited() is { } why)
            {
                throw new InvalidOperationException($"{name} {why}");
            }

            await t.SendAsync(tx.AsMemory(0, n), CancellationToken.None);
            int got = await t.ReceiveAsync(rx, TimeSpan.FromMilliseconds(200), CancellationToken.None);
            if (got > 0 && RmcpPlusCodec.ReadGetChannelAuthCapabilities(rx.AsSpan(0, got)))
            {
                return;
            }

            if (got < 0)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{name} did not answer within 20 s");
    }
}
