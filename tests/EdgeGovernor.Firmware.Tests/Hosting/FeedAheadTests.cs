using System.Globalization;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// <c>priceFeed.publishAheadHours</c> on real processes: the coordinator publishes a day of prices ahead, every node
/// holds them (the governor's day-ahead), and still applies each price only while its interval is in force, the same
/// price for the same interval everywhere.
/// </summary>
[Collection("processes")]
public sealed partial class FeedAheadTests
{
    [GeneratedRegex(@"applied price index=\d+ term=\d+ start_ms=(\d+) price_e4=(-?\d+) at_ms=(\d+)")]
    private static partial Regex Applied();

    [Fact]
    public void Prices_published_a_day_ahead_are_held_by_every_node_and_applied_only_when_their_interval_starts()
    {
        using var dir = new TempDir();
        List<NodeProcess> nodes = NodeProcess.StartCluster(dir, [1, 2, 3], c => c.PriceFeed.PublishAheadHours = 24);
        try
        {
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status() is { Price.Valid: true, Price.UpcomingHours: >= 20 }), "every node holds a day of prices ahead");
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status()!.Price.Applied >= 8), "eight prices applied everywhere");
            foreach (NodeProcess n in nodes)
            {
                Assert.Equal(0, n.Terminate(TimeSpan.FromSeconds(20)));
            }

            var sequences = new List<List<(long Start, int Price)>>();
            foreach (NodeProcess n in nodes)
            {
                var seq = new List<(long, int)>();
                foreach (Match m in Applied().Matches(n.Log))
                {
                    long start = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    long at = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                    // Applied inside its interval (one market hour = 1000 wall ms): never before it starts, never expired.
                    Assert.InRange(at, start, start + 999);
                    seq.Add((start, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
                }
                Assert.Equal(seq.Count, seq.Select(x => x.Item1).Distinct().Count());
                sequences.Add(seq);
            }
            // The same price for the same interval on every node (a node may have seen one interval more or less).
            var reference = sequences.OrderByDescending(s => s.Count).First();
            foreach (var seq in sequences)
            {
                int common = Math.Min(seq.Count, reference.Count);
                var prices = reference.ToDictionary(x => x.Start, x => x.Price);
                Assert.All(seq, x => Assert.True(!prices.TryGetValue(x.Start, out int p) || p == x.Price, $"interval {x.Start}: {x.Price} vs {prices.GetValueOrDefault(x.Start)}"));
                Assert.True(common >= reference.Count - 2, "a node missed prices");
            }
            // The coordinator published ahead: far more records than intervals applied so far.
            int published = nodes.Sum(n => Regex.Matches(n.Log, "published price index=").Count);
            Assert.True(published >= reference.Count + 20, $"{published} records published for {reference.Count} intervals applied");
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
