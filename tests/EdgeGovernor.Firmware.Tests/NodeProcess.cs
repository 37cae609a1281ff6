using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>An <c>edgegov</c> process started by a test (the apphost copied into the test output), killed on dispose.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeProcess(Process process, FirmwareConfig config)
    {
        _process = process;
        Config = config;
    }

    public FirmwareConfig Config { get; }

    public int HttpPort => Config.Observability.HttpPort;

    public int Pid => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "edgegov");

    /// <summary>Runs <c>edgegov</c> with <paramref name="args"/> to completion (hang guard <paramref name="timeout"/>).</summary>
    public static (int Code, string Stdout, string Stderr) RunToEnd(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgegov {string.Join(' ', args)} did not finish within {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Writes a cluster key file (key id 1, a fresh 32-byte secret) into <paramref name="dir"/>; returns its path.</summary>
    public static string NewKeyFile(TempDir dir) =>
        dir.SecretFile("cluster.key", "1:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\n");

    /// <summary>
    /// Starts one process per roster id on a fresh loopback group with a fresh key, replaying prices at one market
    /// hour per wall second from one market clock for all (3 s from now); <paramref name="configure"/> adjusts each
    /// node's config. If a start fails, the processes already started are stopped.
    /// </summary>
    public static List<NodeProcess> StartCluster(TempDir dir, uint[] roster, Action<FirmwareConfig>? configure = null)
    {
        var (group, port) = TransportTests.FreshGroup();
        string key = NewKeyFile(dir);
        long epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3000;
        var nodes = new List<NodeProcess>();
        try
        {
            foreach (uint id in roster)
            {
                FirmwareConfig c = ConfigFor(id, roster, dir, group, port, key);
                c.PriceFeed.Acceleration = 3600;       // one market hour per wall second
                c.PriceFeed.ReplayEpochUnixMs = epoch; // one market clock for all
                configure?.Invoke(c);
                nodes.Add(Start(c, dir));
            }
            return nodes;
        }
        catch
        {
            foreach (NodeProcess n in nodes)
            {
                n.Dispose();
            }
            throw;
        }
    }

    /// <summary>A config for node <paramref name="id"/> of a loopback cluster with a fresh group, port and state directory.</summary>
    public static FirmwareConfig ConfigFor(uint id, uint[] roster, TempDir dir, IPAddress group, int groupPort, string keyFile) => new()
    {
        NodeId = id,
        ClusterId = 77,
        Roster = roster,
        ClusterKeyFile = keyFile,
        SigningKeyFile = TestSigning.Write(dir.Path, $"signing{id}.key"),
        StateDirectory = Path.Combine(dir.Path, $"state{id}"),
        Network = new NetworkConfig
        {
            MulticastGroup = group.ToString(), MulticastPort = groupPort, Interface = "127.0.0.1", UnicastPort = FreePorts.Udp(),
            Peers = [.. roster.Where(r => r != id).Select(r => new PeerConfig { NodeId = r, PublicKey = TestSigning.PublicKeyOf(Path.Combine(dir.Path, $"signing{r}.key")) })],
        },
        Rack = new RackConfig { BudgetWatts = 3000, Servers = [new ServerConfig { Name = "s", Count = 4, MinCapWatts = 90, MaxCapWatts = 300 }] },
        PriceFeed = new PriceFeedConfig { Kind = "synthetic", Acceleration = 3600, PollSeconds = 0.2, ReplayStart = "2024-06-03T00:00:00" },
        Timers = new TimerConfig { HeartbeatMs = 100, CoordinatorHeartbeatMs = 50, ElectionTimeoutMs = 300, ControlPeriodMs = 200 },
        Observability = new ObservabilityConfig { HttpAddress = "127.0.0.1", HttpPort = FreePorts.Tcp(), LogLevel = "info" },
    };

    public static NodeProcess Start(FirmwareConfig config, TempDir dir, IReadOnlyDictionary<string, string>? environment = null)
    {
        string path = Path.Combine(dir.Path, $"node{config.NodeId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config, ConfigJsonContext.Default.FirmwareConfig));
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(path);
        foreach (KeyValuePair<string, string> e in environment ?? new Dictionary<string, string>())
        {
            start.Environment[e.Key] = e.Value;
        }
        Process p = Process.Start(start)!;
        var node = new NodeProcess(p, config);
        p.ErrorDataReceived += (_, e) => node.Append(e.Data);
        p.OutputDataReceived += (_, e) => node.Append(e.Data);
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return node;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    /// <summary>/status, or null when the node does not answer (a few tries: the machine may be loaded).</summary>
    public NodeStatus? Status()
    {
        string? body = Get("/status", tries: 3);
        return body is null ? null : JsonSerializer.Deserialize(body, StatusJsonContext.Default.NodeStatus);
    }

    public string Metrics() => Get("/metrics", tries: 5) ?? throw new InvalidOperationException($"node {Config.NodeId} does not serve /metrics");

    /// <summary>The bearer token /status and /metrics are fetched with (observability.httpBearerTokenFile), or null.</summary>
    public string? BearerToken { get; set; }

    private string? Get(string path, int tries)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (BearerToken is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BearerToken);
        }
        for (int i = 0; i < tries; i++)
        {
            try
            {
                return http.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}{path}")).Result;
            }
            catch (AggregateException) when (!_process.HasExited)
            {
                Thread.Sleep(200);
            }
            catch (AggregateException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The value of one sample line of /metrics (exact series text, e.g. <c>edgegov_drops_total{reason="BadTag"}</c>).</summary>
    public double Metric(string series)
    {
        foreach (string line in Metrics().Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no series {series} in /metrics");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a generous hang guard, not a timing assertion.</summary>
    public static void WaitUntil(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }
            Thread.Sleep(100);
        }
    }

    public bool HasExited => _process.HasExited;

    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            return -1;
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
