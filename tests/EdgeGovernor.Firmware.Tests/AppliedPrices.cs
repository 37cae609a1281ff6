using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>
/// Parses the <c>applied price</c> log lines of real <c>edgegov</c> processes and checks guarantee 3
/// (every member applies the same price for the same interval, in the same order) across nodes.
/// </summary>
internal static partial class AppliedPrices
{
    [GeneratedRegex(@"applied price index=\d+ term=\d+ start_ms=(\d+) price_e4=(-?\d+)")]
    private static partial Regex Applied();

    /// <summary>The (interval start, price) pairs a node's log says it applied, in log order.</summary>
    public static List<(long Start, int Price)> Parse(string log) =>
        [.. Applied().Matches(log).Select(m => (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    /// <summary>
    /// Asserts guarantee 3 over the nodes' applied sequences:
    /// each node applies each interval at most once and in increasing interval order; two nodes that
    /// applied the same interval applied the same price; and every interval that any node applied
    /// from <paramref name="fromStartMs"/> (by then every node was a member) up to the last interval
    /// that every node reached (nodes are stopped one after another) was applied by every node.
    /// Intervals before <paramref name="fromStartMs"/> may be missing on a node that was still
    /// starting: a node never applies an interval that ended before it held it (guarantee: no
    /// expired price is applied).
    /// </summary>
    /// <returns>How many intervals were checked to be applied everywhere.</returns>
    public static int AssertConsistent(IReadOnlyList<List<(long Start, int Price)>> sequences, long fromStartMs)
    {
        var agreed = new Dictionary<long, int>();
        foreach (var seq in sequences)
        {
            Assert.True(seq.Zip(seq.Skip(1)).All(p => p.First.Start < p.Second.Start), "intervals applied twice or out of order: " + Show(seq));
            foreach ((long start, int price) in seq)
            {
                if (agreed.TryGetValue(start, out int other))
                {
                    Assert.True(other == price, $"interval {start} applied at {other} on one node and {price} on another");
                }
                else
                {
                    agreed[start] = price;
                }
            }
        }

        long lastCommon = sequences.Min(s => s.Count == 0 ? long.MinValue : s[^1].Start);
        long[] required = [.. agreed.Keys.Where(k => k >= fromStartMs && k <= lastCommon).Order()];
        for (int i = 0; i < sequences.Count; i++)
        {
            var have = sequences[i].Select(x => x.Start).ToHashSet();
            long[] missing = [.. required.Where(k => !have.Contains(k))];
            Assert.True(missing.Length == 0, $"node #{i} missed {missing.Length} of {required.Length} intervals from {fromStartMs}: {string.Join(", ", missing)}; it applied {Show(sequences[i])}");
        }
        return required.Length;
    }

    private static string Show(List<(long Start, int Price)> seq) => string.Join(" ", seq.Select(x => $"{x.Start}:{x.Price}"));
}
