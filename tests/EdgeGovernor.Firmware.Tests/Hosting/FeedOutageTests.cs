using System.Net;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>A feed outage: the last record stays in force until it expires, then every node runs the safe policy.</summary>
[Collection("processes")]
public sealed class FeedOutageTests
{
    [Fact]
    public void Http_feed_outage_keeps_the_last_price_until_it_expires_then_safe_policy_everywhere()
    {
        using var dir = new TempDir();
        var (group, port) = TransportTests.FreshGroup();
        string key = NodeProcess.NewKeyFile(dir);
        var log = new Logger("feed", LogLevel.Error, new StringWriter());
        bool up = true;
        string body = """{ "price": 123.4 }""";
        using var supplier = new HttpStatusServer(IPAddress.Loopback, 0,
            _ => up ? new HttpResponse(200, "application/json", body) : new HttpResponse(503, "text/plain", "down\n"), log);
        uint[] roster = [1, 2];
        var nodes = roster.Select(id =>
        {
            FirmwareConfig c = NodeProcess.ConfigFor(id, roster, dir, group, port, key);
            c.PriceFeed = new PriceFeedConfig { Kind = "http", Url = $"http://127.0.0.1:{supplier.EndPoint.Port}/price", PriceField = "price", PollSeconds = 0.2, IntervalSeconds = 3 };
            return NodeProcess.Start(c, dir);
        }).ToList();
        try
        {
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status() is { Price.Valid: true } s && Math.Abs(s.Price.CtPerKwh - 12.34) < 1e-9), "12.34 ct/kWh in force on both nodes");

            // Bad records are rejected and counted; never applied (the good one holds until its interval ends).
            body = """{ "price": 999999 }""";
            NodeProcess.WaitUntil(() => nodes.Sum(n => n.Metric("edgegov_feed_rejected_total{reason=\"AboveMaximum\"}")) >= 3, "out-of-bounds prices rejected");
            Assert.All(nodes, n => Assert.True(n.Status() is { } s && (!s.Price.Valid || Math.Abs(s.Price.CtPerKwh - 12.34) < 1e-9)));
            Assert.All(nodes, n => Assert.DoesNotContain("price_e4=9999990", n.Log, StringComparison.Ordinal));

            // Outage: once the last record's interval has ended, both nodes report the safe policy.
            up = false;
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status() is { Price.Valid: false } s && s.Price.SafeReason.Contains("price expired", StringComparison.Ordinal)), "safe policy everywhere after expiry");
            Assert.All(nodes, n => Assert.Equal(0, n.Metric("edgegov_price_fresh")));
            // The record may expire before the coordinator's next poll fails: wait for that poll.
            NodeProcess.WaitUntil(() => nodes.Sum(n => n.Metric("edgegov_feed_rejected_total{reason=\"Unavailable\"}")) >= 1, "the failed poll counted as Unavailable");
            Assert.All(nodes, n => Assert.Contains("safe policy (fixed-cap) in force", n.Log, StringComparison.Ordinal));

            // The supplier comes back: prices flow again.
            body = """{ "price": 50 }""";
            up = true;
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status() is { Price.Valid: true } s && Math.Abs(s.Price.CtPerKwh - 5) < 1e-9), "5 ct/kWh in force after the outage");
        }
        finally
        {
            foreach (NodeProcess n in nodes)
            {
                n.Dispose();
            }
        }
    }
}
