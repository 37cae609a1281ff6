using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// Five nodes in five network namespaces joined by a bridge (veth pairs, 192.0.2.0/24 inside the
/// namespaces only), each namespace dropping 10 % of incoming UDP with iptables' statistic match.
/// Needs root, iproute2 and iptables (.ci/run installs them). Everything it creates is removed in
/// finally blocks, also when the test fails.
/// </summary>
[Collection("processes")]
public sealed partial class NamespaceTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"(published|held) price index=(\d+) term=(\d+) at_ms=(\d+)")]
    private static partial Regex PriceLine();

    private static string Sh(params string[] args)
    {
        var start = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args.Skip(1))
        {
            start.ArgumentList.Add(a);
        }
        using Process p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        }
        return stdout;
    }

    private static void Quiet(params string[] args)
    {
        try
        {
            Sh(args);
        }
        catch (InvalidOperationException)
        {
            // cleanup of something that may not exist
        }
    }

    [Fact]
    public void Five_namespaces_with_10_percent_loss_apply_every_price_in_the_same_order()
    {
        Assert.True(Environment.UserName == "root" || Sh("id", "-u").Trim() == "0", "this test needs root (network namespaces, iptables)");
        string tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..4].ToLowerInvariant();
        string bridge = $"egb{tag}";
        string[] spaces = [.. Enumerable.Range(1, 5).Select(i => $"eg{tag}n{i}")];
        using var dir = new TempDir();
        var nodes = new List<(Process Process, StringBuilder Log)>();
        bool failed = true;
        try
        {
            Sh("ip", "link", "add", bridge, "type", "bridge");
            Sh("ip", "link", "set", bridge, "type", "bridge", "mcast_snooping", "0");
            Sh("ip", "link", "set", bridge, "up");
            for (int i = 1; i <= 5; i++)
            {
                string ns = spaces[i - 1], host = $"eg{tag}h{i}";
                Sh("ip", "netns", "add", ns);
                Sh("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
                Sh("ip", "link", "set", host, "master", bridge);
                Sh("ip", "link", "set", host, "up");
                Sh("ip", "netns", "exec", ns, "ip", "addr", "add", $"192.0.2.{10 + i}/24", "dev", "eth0");
                Sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
                Sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
                Sh("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-p", "udp", "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            }

            string key = NodeProcess.NewKeyFile(dir);
            long epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3000;
            uint[] roster = [1, 2, 3, 4, 5];
            for (int i = 1; i <= 5; i++)
            {
                FirmwareConfig c = NodeProcess.ConfigFor((uint)i, roster, dir, System.Net.IPAddress.Parse("239.192.7.7"), 47000, key);
                c.Network.Interface = $"192.0.2.{10 + i}";
                c.Network.UnicastPort = 47001;
                c.Observability.HttpPort = -1;
                c.PriceFeed.Acceleration = 3600;
                c.PriceFeed.ReplayEpochUnixMs = epoch;
                string path = Path.Combine(dir.Path, $"ns{i}.json");
                File.WriteAllText(path, JsonSerializer.Serialize(c, ConfigJsonContext.Default.FirmwareConfig));
                var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (string a in new[] { "netns", "exec", spaces[i - 1], NodeProcess.Executable, "run", "--config", path })
                {
                    start.ArgumentList.Add(a);
                }
                Process p = Process.Start(start)!;
                var log = new StringBuilder();
                p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
                p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
                p.BeginErrorReadLine();
                p.BeginOutputReadLine();
                nodes.Add((p, log));
            }

            string Log(int i)
            {
                lock (nodes[i].Log)
                {
                    return nodes[i].Log.ToString();
                }
            }
            // Every node has heard the coordinator and holds a price: from here it is a member of the
            // stream. One interval (1 s of wall time) of margin covers records published ahead before.
            NodeProcess.WaitUntil(() => Enumerable.Range(0, 5).All(i => Log(i).Contains("coordinator of term", StringComparison.Ordinal) && AppliedPrices.Parse(Log(i)).Count > 0),
                "a coordinator known and a price applied in every namespace", 120);
            long everyoneInMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000;
            NodeProcess.WaitUntil(() => Enumerable.Range(0, 5).All(i => AppliedPrices.Parse(Log(i)).Count(p => p.Start >= everyoneInMs) >= 12),
                "12 more prices applied in every namespace", 120);
            foreach ((Process p, _) in nodes)
            {
                Sh("kill", "-TERM", p.Id.ToString(CultureInfo.InvariantCulture));
            }
            foreach ((Process p, _) in nodes)
            {
                Assert.True(p.WaitForExit(20_000), "a node did not stop on SIGTERM");
                p.WaitForExit();
                Assert.Equal(0, p.ExitCode);
            }

            var sequences = Enumerable.Range(0, 5).Select(i => AppliedPrices.Parse(Log(i))).ToList();
            Assert.True(AppliedPrices.AssertConsistent(sequences, everyoneInMs) >= 10, "too few intervals applied in every namespace");

            // Price propagation under 10 % loss (coordinator publishes -> every other node holds it).
            var published = new Dictionary<string, long>();
            var held = new Dictionary<string, List<long>>();
            for (int i = 0; i < 5; i++)
            {
                foreach (Match m in PriceLine().Matches(Log(i)))
                {
                    string k = m.Groups[2].Value + "/" + m.Groups[3].Value;
                    long at = long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
                    if (m.Groups[1].Value == "published")
                    {
                        published[k] = at;
                    }
                    else
                    {
                        (held.TryGetValue(k, out var l) ? l : held[k] = []).Add(at);
                    }
                }
            }
            var delays = published.Where(p => held.TryGetValue(p.Key, out var l) && l.Count == 4).Select(p => (double)(held[p.Key].Max() - p.Value)).Order().ToList();
            Assert.NotEmpty(delays);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"namespaces, 10 % loss: {delays.Count} records, propagation p50 {delays[(delays.Count - 1) / 2]} ms, p99 {delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(0.99 * delays.Count) - 1)]} ms, max {delays[^1]} ms"));
            failed = false;
        }
        finally
        {
            if (failed)
            {
                // The nodes' own words are what a failure needs (shown under "Standard Output Messages").
                for (int i = 0; i < nodes.Count; i++)
                {
                    string[] lines;
                    lock (nodes[i].Log)
                    {
                        lines = nodes[i].Log.ToString().Split('\n');
                    }
                    output.WriteLine($"---- node {i + 1} ({lines.Length} lines: the first and last 40) ----");
                    output.WriteLine(string.Join('\n', lines.Length <= 80 ? lines : [.. lines.Take(40), "...", .. lines.TakeLast(40)]));
                }
            }
            foreach ((Process p, _) in nodes)
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }
                p.Dispose();
            }
            foreach (string ns in spaces)
            {
                Quiet("ip", "netns", "del", ns);
            }
            Quiet("ip", "link", "del", bridge);
        }
    }
}
