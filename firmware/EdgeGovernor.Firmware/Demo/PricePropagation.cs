using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeGovernor.Firmware.Demo;

/// <summary>Price propagation from the demo nodes' logs: coordinator publishes -> every node holds the record.</summary>
internal static partial class PricePropagation
{
    [GeneratedRegex(@"(published|held) price index=(\d+) term=(\d+) at_ms=(\d+)")]
    private static partial Regex PriceLine();

    /// <summary>Publish-to-held delay per record, from the nodes' logs (same host, same clock).</summary>
    internal static (int Count, double P50, double P99, int Batched) Measure(List<DemoNode> nodes, DemoNode? killed)
    {
        var published = new Dictionary<(ulong, ulong), long>();
        var held = new Dictionary<(ulong, ulong), List<long>>();
        foreach (DemoNode n in nodes)
        {
            foreach (string line in n.LogLines())
            {
                Match m = PriceLine().Match(line);
                if (!m.Success)
                {
                    continue;
                }
                var key = (ulong.Parse(m.Groups[2].Value, c), ulong.Parse(m.Groups[3].Value, c));
                long at = long.Parse(m.Groups[4].Value, c);
                if (m.Groups[1].Value == "published")
                {
                    published[key] = at;
                }
                else
                {
                    (held.TryGetValue(key, out List<long>? list) ? list : held[key] = []).Add(at);
                }
            }
        }
        int receivers = nodes.Count - 1;
        var delays = new List<double>();
        // A day-ahead batch (several records published in the same millisecond: the first poll publishes a day
        // ahead, often while nodes are still starting) measures start-up, not propagation: only records published
        // on their own count.
        var batchSize = published.Values.GroupBy(at => at).ToDictionary(g => g.Key, g => g.Count());
        int batched = 0;
        foreach (((ulong, ulong) key, long at) in published)
        {
            if (batchSize[at] > 1)
            {
                batched++;
                continue;
            }
            if (held.TryGetValue(key, out List<long>? list) && list.Count >= receivers - (killed is null ? 0 : 1))
            {
                delays.Add(Math.Max(0, list.Max() - at));
            }
        }
        if (delays.Count == 0)
        {
            return (0, 0, 0, batched);
        }
        delays.Sort();
        return (delays.Count, Percentile(delays, 0.5), Percentile(delays, 0.99), batched);
    }

    private static readonly CultureInfo c = CultureInfo.InvariantCulture;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
