using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>Real <c>edgegov</c> processes on loopback multicast.</summary>
[Collection("processes")]
public sealed partial class ClusterProcessTests
{

    [Fact]
    public void Five_processes_elect_apply_every_price_in_the_same_order_and_survive_a_coordinator_kill()
    {
        using var dir = new TempDir();
        List<NodeProcess> nodes = NodeProcess.StartCluster(dir, [1, 2, 3, 4, 5]);
        try
        {
            NodeStatus?[] Statuses() => [.. nodes.Select(n => n.HasExited ? null : n.Status())];
            NodeProcess.WaitUntil(() => Statuses() is var s && s.All(x => x is { Coordinator: > 0, Price.Valid: true }) && s.Select(x => x!.Coordinator).Distinct().Count() == 1,
                "one coordinator known to all five and a price in force");
            // From here every node is a member holding the stream; one interval (1 s of wall time at
            // this acceleration) of margin covers the record published ahead before that moment.
            long everyoneInMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000;
            uint first = nodes[0].Status()!.Coordinator;
            ulong firstTerm = nodes[0].Status()!.Term;
            NodeProcess.WaitUntil(() => nodes.All(n => n.Status()!.Price.Applied >= 4), "four prices applied everywhere");

            NodeProcess victim = nodes.Single(n => n.Config.NodeId == first);
            victim.Kill();
            List<NodeProcess> survivors = [.. nodes.Where(n => n != victim)];
            NodeProcess.WaitUntil(() => survivors.Select(n => n.Status()).ToList() is var s && s.All(x => x is not null && x.Coordinator != first && x.Coordinator != 0 && x.Term > firstTerm && x.Price.Term > firstTerm)
                    && s.Select(x => x!.Coordinator).Distinct().Count() == 1,
                "a new coordinator after the kill, its term's record held by every survivor");
            long appliedAtFailover = survivors.Min(n => n.Status()!.Price.Applied);
            NodeProcess.WaitUntil(() => survivors.All(n => n.Status()!.Price.Applied >= appliedAtFailover + 4), "prices keep flowing after the failover");

            foreach (NodeProcess n in survivors)
            {
                Assert.Equal(0, n.Terminate(TimeSpan.FromSeconds(20)));
                Assert.Contains("stopping: restoring hardware", n.Log, StringComparison.Ordinal);
            }

            // Guarantee 3: every survivor applied the same prices for the same intervals, in the same
            // order, and none missed an interval that another applied after all had joined (a node may
            // have seen one interval more or less at the very end, as they stop one after another).
            List<List<(long Start, int Price)>> sequences = [.. survivors.Select(n => AppliedPrices.Parse(n.Log))];
            Assert.True(sequences.Min(s => s.Count) >= 8, $"only {sequences.Min(s => s.Count)} prices applied");
            Assert.True(AppliedPrices.AssertConsistent(sequences, everyoneInMs) >= 3, "too few intervals applied by every survivor"); // each survivor applied 4 more after the failover
        }
        finally
        {
            foreach (NodeProcess n in nodes)
            {
                n.Dispose();
            }
        }
    }

    [Fact]
    public void Demo_runs_by_itself_and_exits_0()
    {
        var (code, stdout, stderr) = NodeProcess.RunToEnd(TimeSpan.FromMinutes(2), "demo", "--nodes", "3", "--duration", "24", "--plain");
        Assert.True(code == 0, $"demo exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("demo: OK", stdout, StringComparison.Ordinal);
        Assert.Contains("failover: node", stdout, StringComparison.Ordinal);
        Assert.Contains("every surviving node stopped cleanly on SIGTERM", stdout, StringComparison.Ordinal);
        Assert.Contains("synthetic day-ahead prices every 15 minutes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_runs_on_the_real_15_minute_prices_and_says_so()
    {
        // ../shared/data/prices/DE-LU_2025-10_15min.csv: 15-minute products with UTC offsets.
        string prices = RepoPaths.SharedDataFile("prices", "DE-LU_2025-10_15min.csv");
        var (code, stdout, stderr) = NodeProcess.RunToEnd(TimeSpan.FromMinutes(2), "demo", "--prices", prices, "--nodes", "3", "--duration", "24", "--plain");
        Assert.True(code == 0, $"demo exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("DE-LU_2025-10_15min.csv every 15 minutes", stdout, StringComparison.Ordinal);
        Assert.Contains("demo: OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_config_file_gives_every_error_and_exit_2_from_the_real_binary()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json", """{ "nodeId": 0, "network": { "multicastGroup": "10.1.1.1" }, "typo": 1 }""");
        var (code, _, stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "run", "--config", path);
        Assert.Equal(2, code);
        Assert.Contains("$.typo: unknown setting", stderr, StringComparison.Ordinal);
        (code, _, stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(60), "run", "--config", dir.File("bad2.json", """{ "nodeId": 0, "network": { "multicastGroup": "10.1.1.1" } }"""));
        Assert.Equal(2, code);
        Assert.Contains("$.nodeId", stderr, StringComparison.Ordinal);
        Assert.Contains("$.network.multicastGroup", stderr, StringComparison.Ordinal);
        Assert.Contains("$.roster", stderr, StringComparison.Ordinal);
        Assert.Contains("$.clusterKeyFile", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_notifies_systemd_ready_and_watchdog_and_stops_cleanly_on_SIGTERM()
    {
        using var dir = new TempDir();
        var (group, port) = TransportTests.FreshGroup();
        string socketPath = Path.Combine(dir.Path, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.ReceiveTimeout = 60_000;
        using NodeProcess node = NodeProcess.Start(NodeProcess.ConfigFor(1, [1], dir, group, port, NodeProcess.NewKeyFile(dir)), dir,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });
        var got = new List<string>();
        byte[] buffer = new byte[512];
        while (!(got.Any(m => m.StartsWith("READY=1", StringComparison.Ordinal)) && got.Count(m => m == "WATCHDOG=1") >= 2))
        {
            got.Add(Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
        }
        Assert.Contains($"MAINPID={node.Pid}", got.First(m => m.StartsWith("READY=1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(0, node.Terminate(TimeSpan.FromSeconds(20)));
        string message;
        do
        {
            message = Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
        }
        while (message == "WATCHDOG=1");
        Assert.Equal("STOPPING=1", message);
        Assert.Contains("stopping: restoring hardware", node.Log, StringComparison.Ordinal);
    }
}
