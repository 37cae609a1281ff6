using System.Globalization;
using EdgeGovernor.Firmware.Feeds.Entsoe;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// <c>priceFeed.kind: "entsoe"</c> on real processes against a local stub of the platform serving the real reply
/// <c>../shared/data/entsoe/DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml</c>: the coordinator fetches it once, and every node
/// holds and applies its quarter-hour prices.
/// </summary>
[Collection("processes")]
public sealed class EntsoeProcessTests
{
    [Fact]
    public void Quarter_hour_prices_from_the_platform_reach_every_node()
    {
        using var dir = new TempDir();
        using var stub = new EntsoeStub().ReplyFile("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml");
        string token = dir.File("entsoe.token", "test-token-not-logged\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        List<NodeProcess> nodes = NodeProcess.StartCluster(dir, [1, 2], c =>
        {
            c.PriceFeed.Kind = "entsoe";
            c.PriceFeed.Entsoe.BaseUrl = stub.BaseUrl;
            c.PriceFeed.Entsoe.BiddingZone = "10Y1001A1001A82H";
            c.PriceFeed.Entsoe.TokenFile = token;
            c.PriceFeed.ReplayStart = "2024-10-06T10:00:00"; // UTC market time on the reply's first day
            c.PriceFeed.Acceleration = 1;
            c.PriceFeed.IntervalSeconds = 900;
            c.PriceFeed.PublishAheadHours = 24;
            c.PriceFeed.PollSeconds = 1;
        });
        try
        {
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status() is { Price.Valid: true, Price.UpcomingHours: >= 12 }), "every node holds the platform's prices");
            Assert.True(EntsoeParser.TryParse(File.ReadAllText(RepoPaths.SharedDataFile("entsoe", "DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml")),
                new EntsoeParseOptions(), out EntsoeDocument doc, out string error), error);
            Assert.True(doc.TryGetIntervals(TimeSpan.FromMinutes(15), out var intervals, out _));
            foreach (NodeProcess n in nodes)
            {
                NodeStatus s = n.Status()!;
                var start = DateTimeOffset.ParseExact(s.Price.IntervalStart, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var expected = intervals.Single(i => i.Start == start);
                Assert.Equal(TimeSpan.FromMinutes(15), expected.End - expected.Start);
                Assert.Equal(expected.Price * 0.1, s.Price.CtPerKwh, 3);
            }
            // Today and tomorrow came in one reply: one request per node that coordinated (each feed starts empty),
            // with the token, which no log shows.
            int tenures = nodes.Sum(n => System.Text.RegularExpressions.Regex.Count(n.Log, @"coordinator of term \d+ \(this node\)"));
            Assert.InRange(stub.Targets.Count, 1, tenures);
            Assert.All(stub.Targets, t => Assert.Contains("periodStart=202410052200&periodEnd=202410062200", t, StringComparison.Ordinal));
            Assert.All(nodes, n => Assert.DoesNotContain("test-token-not-logged", n.Log, StringComparison.Ordinal));
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
