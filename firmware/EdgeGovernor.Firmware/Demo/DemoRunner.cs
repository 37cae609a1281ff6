using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
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
public static partial class DemoRunner
{
    /// <summary>Runs the demo; returns the process exit code.</summary>
    public static int Run(DemoCommand command, TextWriter stdout, TextWriter stderr)
    {
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
        File.WriteAllText(keyFile, $"1:{Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\n");

        string replayStart = command.PricesCsv is null ? DemoDay.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) : "";
        uint[] roster = [.. Enumerable.Range(1, command.Nodes).Select(i => (uint)i)];
        for (int i = 1; i <= command.Nodes; i++)
        {
            FirmwareConfig config = NodeConfig((uint)i, roster, keyFile, dir, group, groupPort, FreePort(), command, acceleration, epoch, replayStart);
            string path = Path.Combine(dir, $"node{i}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(config, ConfigJsonContext.Default.FirmwareConfig));
            nodes.Add(DemoNode.Start((uint)i, path, config.Observability.HttpPort, Path.Combine(dir, $"node{i}.log")));
        }

        stdout.WriteLine($"edgegov demo: {command.Nodes} nodes on loopback multicast {group}:{groupPort}, " +
            $"{(command.PricesCsv is null ? "synthetic day-ahead prices" : Path.GetFileName(command.PricesCsv))}, one market day in {command.DurationSeconds:0} s (x{acceleration:0})");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        double startDelay = (epoch - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) / 1000.0 + clock.Elapsed.TotalSeconds;
        double killAt = startDelay + (command.DurationSeconds / 2);
        double endAt = startDelay + command.DurationSeconds;
        DemoNode? killed = null;
        uint coordinatorBefore = 0;
        ulong termBefore = 0;
        double? failoverMs = null;
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
                    killed.Kill();
                    killedAtMs = clock.Elapsed.TotalMilliseconds;
                    events.Add($"killed coordinator node {coordinatorBefore} (term {termBefore}) at market {coordinator.MarketTime}");
                }
            }
            else if (killed is not null && failoverMs is null && alive.Count == nodes.Count - 1
                && alive.All(s => s.Coordinator != 0 && s.Coordinator != coordinatorBefore && s.Coordinator == alive[0].Coordinator
                    && s.Term > termBefore && s.Price.Valid && s.Price.Term > termBefore))
            {
                failoverMs = clock.Elapsed.TotalMilliseconds - killedAtMs;
                coordinatorAfter = alive[0].Coordinator;
                events.Add(string.Create(CultureInfo.InvariantCulture,
                    $"failover: node {coordinatorAfter} coordinates term {alive[0].Term}; every survivor holds its price record {failoverMs:0} ms after the crash (status polled every 250 ms)"));
            }

            if (live)
            {
                stdout.Write("\u001b[H\u001b[2J");
                stdout.Write(View(nodes, last, killed, events, command));
            }
            else if (clock.Elapsed.TotalSeconds >= nextPlain)
            {
                stdout.Write(PlainLine(alive));
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

        var propagation = Propagation(nodes, killed);
        bool ok = killed is not null && failoverMs is not null && exitedCleanly
            && nodes.Where(n => n != killed).All(n => last.TryGetValue(n.Id, out NodeStatus? s) && s.Price.Applied >= 6);
        stdout.WriteLine();
        stdout.Write(Summary(nodes, last, killed, coordinatorBefore, coordinatorAfter, failoverMs, propagation, exitedCleanly, ok));
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
    /// The synthetic market day the demo replays: with the default seed (42) a sunny Thursday (negative prices at
    /// midday) with an evening scarcity spike.
    /// </summary>
    public static DateTime DemoDay { get; } = new(2024, 5, 16);

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

    private static string View(List<DemoNode> nodes, Dictionary<uint, NodeStatus> last, DemoNode? killed, List<string> events, DemoCommand command)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        NodeStatus? any = nodes.Where(n => n != killed && last.ContainsKey(n.Id)).Select(n => last[n.Id]).FirstOrDefault();
        b.Append("EdgeGovernor demo - ").Append(command.Nodes).Append(" boards on loopback multicast, one market day in ")
            .Append(command.DurationSeconds.ToString("0", c)).Append(" s\n\n");
        if (any is not null)
        {
            b.Append(c, $"market time {any.MarketTime}   coordinator {(any.Coordinator == 0 ? "-" : "node " + any.Coordinator)}   term {any.Term}   ");
            b.Append(any.Price.Valid ? string.Create(c, $"price {any.Price.CtPerKwh,7:0.000} ct/kWh ({any.Price.IntervalStart[^5..]}-{any.Price.IntervalEnd[^5..]})") : "price: none (safe policy)");
            b.Append("\n\n");
        }
        b.Append("node  role          term   price ct/kWh   power W    cap W   on      kWh      EUR      kg CO2   applied\n");
        double kwh = 0, eur = 0, co2 = 0;
        foreach (DemoNode n in nodes)
        {
            if (!last.TryGetValue(n.Id, out NodeStatus? s))
            {
                b.Append(c, $"{n.Id,4}  starting\n");
                continue;
            }
            string role = n == killed ? "KILLED" : s.Role;
            b.Append(c, $"{n.Id,4}  {role,-12} {s.Term,5}   {(s.Price.Valid ? s.Price.CtPerKwh.ToString("0.000", c) : "safe"),12}   {s.Rack.PowerWatts,7:0}  {s.Rack.CapWatts,7:0}  {s.Rack.ServersOn,2}/{s.Rack.Servers,-2}  {s.Accounting.Kwh,7:0.00}  {s.Accounting.Eur,7:0.000}  {s.Accounting.KgCo2,7:0.00}   {s.Price.Applied,5}\n");
            kwh += s.Accounting.Kwh;
            eur += s.Accounting.Eur;
            co2 += s.Accounting.KgCo2;
        }
        b.Append(c, $"\ncluster total                                                        {kwh,7:0.00}  {eur,7:0.000}  {co2,7:0.00}\n\n");
        foreach (string e in events)
        {
            b.Append("* ").Append(e).Append('\n');
        }
        return b.ToString();
    }

    private static string PlainLine(List<NodeStatus> alive)
    {
        var c = CultureInfo.InvariantCulture;
        NodeStatus? any = alive.FirstOrDefault();
        if (any is null)
        {
            return "waiting for the nodes...\n";
        }
        var b = new StringBuilder();
        b.Append(c, $"[{any.MarketTime}] coordinator {any.Coordinator} term {any.Term} price {(any.Price.Valid ? any.Price.CtPerKwh.ToString("0.000", c) + " ct/kWh" : "none")} |");
        foreach (NodeStatus s in alive.OrderBy(s => s.NodeId))
        {
            b.Append(c, $" n{s.NodeId}:{s.Rack.PowerWatts:0}W/{s.Rack.CapWatts:0}W/{s.Rack.ServersOn}on");
        }
        b.Append(c, $" | {alive.Sum(s => s.Accounting.Kwh):0.0} kWh {alive.Sum(s => s.Accounting.Eur):0.00} EUR {alive.Sum(s => s.Accounting.KgCo2):0.0} kg CO2\n");
        return b.ToString();
    }

    private static string Summary(List<DemoNode> nodes, Dictionary<uint, NodeStatus> last, DemoNode? killed, uint before, uint after, double? failoverMs,
        (int Count, double P50, double P99, int Batched) propagation, bool exitedCleanly, bool ok)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder("summary (per rack: energy, cost at the price in force, CO2 at 0.429 kg/kWh, value of the work done, net = value - cost)\n");
        b.Append("  rack                kWh      EUR   kg CO2  work EUR   net EUR  off srv-h offs+ons  batch done/released  deadlines met/missed  interactive cap: at peak / at cheapest\n");
        double kwh = 0, eur = 0, co2 = 0, value = 0, off = 0;
        foreach (DemoNode n in nodes)
        {
            if (!last.TryGetValue(n.Id, out NodeStatus? s))
            {
                continue;
            }
            AccountingStatus a = s.Accounting;
            string name = $"node {n.Id}{(n == killed ? " (killed)" : "")}";
            b.Append(c, $"  {name,-16} {a.Kwh,7:0.00} {a.Eur,8:0.000} {a.KgCo2,8:0.00} {a.WorkValueEur,9:0.000} {a.WorkValueEur - a.Eur,9:0.000} {a.OffServerHours,10:0.0} {a.PowerCycles,7}")
                .Append(c, $"  {a.DeferredUnitsDone,9:0.0} / {a.DeferredUnitsReleased,-7:0.0}  {a.DeadlinesMet,9} / {a.DeadlinesMissed,-8}")
                .Append(c, $"  {a.InteractiveCapAtPeakWatts,5:0} W @ {a.PeakPriceCt:0.0} ct / {a.InteractiveCapAtCheapestWatts:0} W @ {a.CheapestPriceCt:0.0} ct\n");
            kwh += a.Kwh;
            eur += a.Eur;
            co2 += a.KgCo2;
            value += a.WorkValueEur;
            off += a.OffServerHours;
        }
        b.Append(c, $"  {"cluster",-16} {kwh,7:0.00} {eur,8:0.000} {co2,8:0.00} {value,9:0.000} {value - eur,9:0.000} {off,10:0.0}\n");
        foreach (DemoNode n in nodes)
        {
            if (last.TryGetValue(n.Id, out NodeStatus? s))
            {
                b.Append(c, $"  node {n.Id}: {s.Price.Applied} prices applied\n");
            }
        }
        b.Append(failoverMs is double f
            ? string.Create(c, $"  failover: node {before} killed, node {after} took over; all survivors held the new term's price record within {f:0} ms (status polled every 250 ms)\n")
            : $"  failover: NOT observed (coordinator before: {before})\n");
        if (propagation.Count > 0)
        {
            b.Append(c, $"  price propagation (coordinator publishes -> every node holds it, from the nodes' logs): {propagation.Count} records, p50 {propagation.P50:0.0} ms, p99 {propagation.P99:0.0} ms")
                .Append(c, $"{(propagation.Batched > 0 ? $" (the start-up day-ahead batch of {propagation.Batched} records not counted)" : "")}\n");
        }
        b.Append(exitedCleanly ? "  every surviving node stopped cleanly on SIGTERM\n" : "  some node did not stop cleanly on SIGTERM\n");
        b.Append(ok ? "demo: OK\n" : "demo: FAILED\n");
        return b.ToString();
    }

    [GeneratedRegex(@"(published|held) price index=(\d+) term=(\d+) at_ms=(\d+)")]
    private static partial Regex PriceLine();

    /// <summary>Publish-to-held delay per record, from the nodes' logs (same host, same clock).</summary>
    internal static (int Count, double P50, double P99, int Batched) Propagation(List<DemoNode> nodes, DemoNode? killed)
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

    private static (IPAddress, int) FreshGroup()
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

    /// <summary>One node process of the demo.</summary>
    internal sealed class DemoNode : IDisposable
    {
        private readonly Process _process;
        private readonly StreamWriter _log;
        private readonly string _logPath;
        private readonly object _lock = new();

        private DemoNode(uint id, int httpPort, Process process, StreamWriter log, string logPath)
        {
            Id = id;
            HttpPort = httpPort;
            _process = process;
            _log = log;
            _logPath = logPath;
        }

        public uint Id { get; }

        public int HttpPort { get; }

        public static DemoNode Start(uint id, string configPath, int httpPort, string logPath)
        {
            var start = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
            start.FileName = self;
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgegov.dll"));
            }
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(configPath);
            var log = new StreamWriter(logPath) { AutoFlush = true };
            Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start a node process");
            var node = new DemoNode(id, httpPort, process, log, logPath);
            process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            process.OutputDataReceived += (_, e) => node.Append(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            return node;
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_lock)
            {
                _log.WriteLine(line);
            }
        }

        public string[] LogLines()
        {
            lock (_lock)
            {
                _log.Flush();
                using var reader = new StreamReader(new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                return reader.ReadToEnd().Split('\n');
            }
        }

        public void Kill() => _process.Kill();

        public void Terminate()
        {
            if (!_process.HasExited)
            {
                Libc.Terminate(_process.Id);
            }
        }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout))
            {
                _process.Kill();
                _process.WaitForExit();
                return -1;
            }
            _process.WaitForExit(); // drain the output handlers
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            _process.Dispose();
            lock (_lock)
            {
                _log.Dispose();
            }
        }
    }
}
