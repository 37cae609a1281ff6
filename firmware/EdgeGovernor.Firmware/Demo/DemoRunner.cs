using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Firmware.Demo;

/// <summary>
/// <c>edgegov demo</c>: starts N copies of this very program as separate <c>edgegov run</c>
/// processes on loopback multicast (127.0.0.1, a random group in 239.0.0.0/8, IP_MULTICAST_LOOP),
/// each with a simulated rack, all sharing one accelerated market clock so that a day of prices
/// (synthetic, or replayed from <c>--prices</c>) passes in <c>--duration</c> seconds. It polls every
/// node's /status for a live view, kills the coordinator halfway (SIGKILL: a crash), shows the
/// failover, stops the rest with SIGTERM at the end, prints a summary (energy, cost, CO2, prices
/// applied, failover time, price propagation from the nodes' logs) and exits 0 when the cluster
/// behaved (a coordinator before the crash, a new one after it, prices applied on every survivor).
/// </summary>
internal static class DemoRunner
{
    /// <summary>Runs the demo; returns the process exit code.</summary>
    public static int Run(DemoCommand command, TextWriter stdout, TextWriter stderr)
    {
        if (command.Contracts)
        {
            return ContractDemo.Run(command, stdout, stderr);
        }
        string dir = Path.Combine(Path.GetTempPath(), "edgegov-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var nodes = new List<DemoNode>();
        bool ok = false;
        try
        {
            ok = RunCluster(command, dir, nodes, stdout, stderr);
            return ok ? Program.ExitOk : Program.ExitFailure;
        }
        finally
        {
            foreach (DemoNode n in nodes)
            {
                n.Dispose();
            }
            if (ok)
            {
                TryDelete(dir);
            }
            else
            {
                stderr.WriteLine($"edgegov demo: node logs kept in {dir}");
            }
        }
    }

    private static bool RunCluster(DemoCommand command, string dir, List<DemoNode> nodes, TextWriter stdout, TextWriter stderr)
    {
        bool live = !command.Plain && !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);
        double acceleration = 86_400 / command.DurationSeconds;
        long epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2_500; // time for the processes to start
        (IPAddress group, int groupPort) = FreshGroup();
        string keyFile = Path.Combine(dir, "cluster.key");
        var keyOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // a key file must be 0600
        }
        using (var key = new StreamWriter(keyFile, keyOptions))
        {
            key.Write($"1:{Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\n");
        }

        string replayStart = command.PricesCsv is null ? DemoDay.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) : "";
        // The market's interval: 15 minutes for the synthetic prices (the EU day-ahead market's unit since 2025-10-01),
        // the file's own for --prices.
        TimeSpan interval = command.PricesCsv is null ? SyntheticInterval : CsvPriceFeed.DetectInterval(command.PricesCsv);
        uint[] roster = [.. Enumerable.Range(1, command.Nodes).Select(i => (uint)i)];
        PeerConfig[] boards = [.. roster.Select(id => new PeerConfig
        {
            NodeId = id,
            PublicKey = Convert.ToHexStringLower(SigningKeyFile.Create(Path.Combine(dir, $"signing{id}.key"))),
        })];
        for (int i = 1; i <= command.Nodes; i++)
        {
            FirmwareConfig config = NodeConfig((uint)i, roster, keyFile, dir, group, groupPort, FreePort(), command, acceleration, epoch, replayStart);
            config.SigningKeyFile = Path.Combine(dir, $"signing{i}.key");
            config.Network.Peers = [.. boards.Where(b => b.NodeId != (uint)i)];
            config.PriceFeed.IntervalSeconds = interval.TotalSeconds;
            config.Market.IntervalMinutes = MarketInterval;
            string path = Path.Combine(dir, $"node{i}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(config, ConfigJsonContext.Default.FirmwareConfig));
            nodes.Add(DemoNode.Start((uint)i, path, config.Observability.HttpPort, Path.Combine(dir, $"node{i}.log")));
        }

        stdout.WriteLine($"edgegov demo: {command.Nodes} nodes on loopback multicast {group}:{groupPort}, " +
            $"{(command.PricesCsv is null ? "synthetic day-ahead prices" : Path.GetFileName(command.PricesCsv))} every {interval.TotalMinutes:0} minutes, " +
            $"the governor deciding every {MarketInterval:0}-minute market interval, one market day in {command.DurationSeconds:0} s (x{acceleration:0})");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        double startDelay = (epoch - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) / 1000.0 + clock.Elapsed.TotalSeconds;
        double killAt = startDelay + (command.DurationSeconds / 2);
        double endAt = startDelay + command.DurationSeconds;
        DemoNode? killed = null;
        uint coordinatorBefore = 0;
        ulong termBefore = 0;
        double? failoverMs = null;
        long lastIndexBefore = 0;
        uint coordinatorAfter = 0;
        double killedAtMs = 0;
        var last = new Dictionary<uint, NodeStatus>();
        double nextPlain = 0;
        var events = new List<string>();

        while (clock.Elapsed.TotalSeconds < endAt)
        {
            foreach (DemoNode n in nodes)
            {
                if (n != killed && Fetch(http, n) is NodeStatus s)
                {
                    last[n.Id] = s;
                }
            }
            List<NodeStatus> alive = [.. nodes.Where(n => n != killed && last.ContainsKey(n.Id)).Select(n => last[n.Id])];

            if (killed is null && clock.Elapsed.TotalSeconds >= killAt)
            {
                NodeStatus? coordinator = alive.FirstOrDefault(s => s.Role == "coordinator");
                if (coordinator is null)
                {
                    // A slow start (a loaded machine) or an election in progress: try again at the next poll,
                    // while a failover still fits before the end.
                    if (clock.Elapsed.TotalSeconds >= endAt - Math.Max(3, command.DurationSeconds / 4))
                    {
                        events.Add("no coordinator since the halfway mark: nothing to kill");
                        stderr.WriteLine("edgegov demo: no coordinator since the halfway mark");
                        killAt = double.MaxValue;
                    }
                }
                else
                {
                    killed = nodes.First(n => n.Id == coordinator.NodeId);
                    coordinatorBefore = coordinator.NodeId;
                    termBefore = coordinator.Term;
                    lastIndexBefore = alive.Max(s => s.Counters.GetValueOrDefault("priceLogLastIndex"));
                    killed.Kill();
                    killedAtMs = clock.Elapsed.TotalMilliseconds;
                    events.Add($"killed coordinator node {coordinatorBefore} (term {termBefore}) at market {coordinator.MarketTime}");
                }
            }
            else if (killed is not null && failoverMs is null && alive.Count == nodes.Count - 1
                && alive.All(s => s.Coordinator != 0 && s.Coordinator != coordinatorBefore && s.Coordinator == alive[0].Coordinator
                    && s.Term > termBefore && s.Price.Valid && HoldsNewTerm(s, termBefore, lastIndexBefore)))
            {
                failoverMs = clock.Elapsed.TotalMilliseconds - killedAtMs;
                coordinatorAfter = alive[0].Coordinator;
                events.Add(string.Create(CultureInfo.InvariantCulture,
                    $"failover: node {coordinatorAfter} coordinates term {alive[0].Term}; every survivor holds its price record {failoverMs:0} ms after the crash (status polled every 250 ms)"));
            }

            if (live)
            {
                stdout.Write("\u001b[H\u001b[2J");
                stdout.Write(DemoReport.View(nodes, last, killed, events, command));
            }
            else if (clock.Elapsed.TotalSeconds >= nextPlain)
            {
                stdout.Write(DemoReport.PlainLine(alive));
                nextPlain = clock.Elapsed.TotalSeconds + Math.Max(2, command.DurationSeconds / 20);
                foreach (string e in events)
                {
                    stdout.WriteLine("  * " + e);
                }
                events.Clear();
            }
            Thread.Sleep(250);
        }

        foreach (DemoNode n in nodes)
        {
            n.Terminate();
        }
        bool exitedCleanly = nodes.Where(n => n != killed).All(n => n.WaitForExit(TimeSpan.FromSeconds(10)) == 0);

        var propagation = PricePropagation.Measure(nodes, killed);
        bool ok = killed is not null && failoverMs is not null && exitedCleanly
            && nodes.Where(n => n != killed).All(n => last.TryGetValue(n.Id, out NodeStatus? s) && s.Price.Applied >= 6);
        stdout.WriteLine();
        stdout.Write(DemoReport.Summary(nodes, last, killed, coordinatorBefore, coordinatorAfter, failoverMs, propagation, exitedCleanly, ok));
        return ok;
    }

    private static FirmwareConfig NodeConfig(uint id, uint[] roster, string keyFile, string dir, IPAddress group, int groupPort, int httpPort,
        DemoCommand command, double acceleration, long epoch, string replayStart) => new()
    {
        NodeId = id,
        ClusterId = 0xDE30,
        Roster = roster,
        ClusterKeyFile = keyFile,
        StateDirectory = Path.Combine(dir, $"state{id}"),
        Network = new NetworkConfig
        {
            MulticastGroup = group.ToString(),
            MulticastPort = groupPort,
            Interface = "127.0.0.1",
            UnicastPort = 0,
            MulticastLoopback = true,
        },
        Rack = DemoRack(),
        Jobs = DemoJobs(),
        PriceFeed = new PriceFeedConfig
        {
            Kind = command.PricesCsv is null ? "synthetic" : "csv",
            CsvPath = command.PricesCsv is null ? "" : Path.GetFullPath(command.PricesCsv),
            Acceleration = acceleration,
            ReplayStart = replayStart,
            ReplayEpochUnixMs = epoch,
            PublishAheadHours = 24,
            PollSeconds = 0.2,
            Seed = command.Seed,
        },
        Timers = new TimerConfig { HeartbeatMs = 100, CoordinatorHeartbeatMs = 50, ElectionTimeoutMs = 300, ControlPeriodMs = 200 },
        Observability = new ObservabilityConfig { HttpAddress = "127.0.0.1", HttpPort = httpPort, LogLevel = "info" },
    };

    /// <summary>
    /// True when <paramref name="s"/> holds a record of the new coordinator: the price in force is one (its term-start
    /// re-announcement), or its committed log reaches past everything the crashed coordinator had appended. With
    /// prices published a day ahead the price in force is the old term's again from the next interval on (a
    /// quarter-hour is 250 ms of wall time at the demo's speed), so the commit index is the lasting evidence.
    /// </summary>
    private static bool HoldsNewTerm(NodeStatus s, ulong termBefore, long lastIndexBefore) =>
        s.Price.Term > termBefore || s.Counters.GetValueOrDefault("priceLogCommitIndex") > lastIndexBefore;

    /// <summary>
    /// The synthetic market day the demo replays: with the default seed (42) a sunny Thursday (negative prices at
    /// midday) with an evening scarcity spike.
    /// </summary>
    public static DateTime DemoDay { get; } = new(2024, 5, 16);

    /// <summary>The interval of the demo's synthetic prices: the EU day-ahead market's 15 minutes.</summary>
    public static TimeSpan SyntheticInterval { get; } = TimeSpan.FromMinutes(15);

    /// <summary>The market interval the demo's governors plan at, minutes (whatever the prices' own interval).</summary>
    public const int MarketInterval = 15;

    /// <summary>
    /// The demo's rack (every node runs one): 4 protected web servers, 2 analytics servers and 4 batch servers the
    /// governor may switch off, 400 W each at full load (a generic SPECpower-like curve, 140 W idle), a 3.6 kW PDU budget.
    /// </summary>
    public static RackConfig DemoRack() => new()
    {
        BudgetWatts = 3600,
        Servers =
        [
            new ServerConfig { Name = "web", Count = 4, MinCapWatts = 160, MaxCapWatts = 400, Protected = true, Job = "web" },
            new ServerConfig { Name = "analytics", Count = 2, MinCapWatts = 160, MaxCapWatts = 400, Protected = false, Job = "analytics", BootSeconds = 180, BootEnergyWh = 25, MinOnHours = 2, MinOffHours = 2, MaxCyclesPerDay = 2 },
            new ServerConfig { Name = "batch", Count = 4, MinCapWatts = 160, MaxCapWatts = 400, Protected = false, Job = "batch", BootSeconds = 180, BootEnergyWh = 25, MinOnHours = 1, MinOffHours = 1, MaxCyclesPerDay = 3 },
        ],
    };

    /// <summary>
    /// The demo's job classes. Values are per unit = one server-hour at full load, in line with the policy evaluation's
    /// classes scaled to a 400 W server (EUR per kWh of full-load energy: web ~0.30, analytics ~0.21, batch ~0.18):
    /// web (interactive, 0.12 EUR, half CPU-bound), analytics (interactive, 0.085 EUR, CPU-bound) and batch
    /// (deferrable, 0.07 EUR, CPU-bound: 8 server-hours of work per server released at midnight, due at 18:00).
    /// </summary>
    public static JobConfig[] DemoJobs() =>
    [
        new JobConfig { Name = "web", ValuePerUnitEur = 0.12, CpuSensitivity = 0.5, Share = 0.4 },
        new JobConfig { Name = "analytics", ValuePerUnitEur = 0.085, CpuSensitivity = 1.0, Share = 0.2 },
        new JobConfig { Name = "batch", ValuePerUnitEur = 0.07, CpuSensitivity = 1.0, Share = 0.4, Deferrable = true, WorkHoursPerDay = 8, ReleaseHourOfDay = 0, DeadlineHours = 18, MissPenaltyEurPerUnit = 1 },
    ];

    private static NodeStatus? Fetch(HttpClient http, DemoNode node)
    {
        try
        {
            string body = http.GetStringAsync(new Uri($"http://127.0.0.1:{node.HttpPort}/status")).GetAwaiter().GetResult();
            return JsonSerializer.Deserialize(body, StatusJsonContext.Default.NodeStatus);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            return null;
        }
    }

    internal static (IPAddress, int) FreshGroup()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        int r = RandomNumberGenerator.GetInt32(1, 65_000);
        return (new IPAddress([239, 255, (byte)(r >> 8), (byte)r]), port);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
