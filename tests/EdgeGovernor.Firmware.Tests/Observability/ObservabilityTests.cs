using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Observability;

public sealed partial class ObservabilityTests
{
    // One sample line of the text exposition format 0.0.4.
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\\\|\\"|\\n|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\\\|\\"|\\n|[^"\\\n])*")*\})? (NaN|[+-]Inf|-?[0-9.eE+-]+)$""")]
    private static partial Regex SampleLine();

    [Fact]
    public void Exposition_format_is_valid_and_escaped()
    {
        var w = new PrometheusWriter();
        w.Gauge("edgegov_price_ct_per_kwh", "Price in force.", -1.25);
        w.Counter("edgegov_drops_total", "Datagrams dropped.\nBy reason.");
        w.Sample("edgegov_drops_total", 3, ("reason", "bad_tag"));
        w.Sample("edgegov_drops_total", 0, ("reason", "we\"ird\\na\nme"), ("socket", "multicast"));
        w.Gauge("edgegov_staleness_seconds", "x", double.PositiveInfinity);
        w.Gauge("edgegov_nan", "x", double.NaN);
        w.Gauge("edgegov_price_ct_per_kwh", "declared twice is fine");
        w.Sample("edgegov_price_ct_per_kwh", 2, ("source", "csv"));
        string text = w.ToString();

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string[] lines = text.TrimEnd('\n').Split('\n');
        var types = new Dictionary<string, string>();
        foreach (string line in lines)
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                Assert.True(types.TryAdd(parts[2], parts[3]), $"family {parts[2]} declared twice");
            }
            else if (!line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.Matches(SampleLine(), line);
                string name = line.Split('{', ' ')[0];
                Assert.True(types.ContainsKey(name), $"sample of {name} before its TYPE line");
            }
        }
        Assert.Contains("edgegov_price_ct_per_kwh -1.25\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_drops_total{reason=\"bad_tag\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_drops_total{reason=\"we\\\"ird\\\\na\\nme\",socket=\"multicast\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP edgegov_drops_total Datagrams dropped.\\nBy reason.\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_staleness_seconds +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_nan NaN\n", text, StringComparison.Ordinal);
        Assert.Equal("counter", types["edgegov_drops_total"]);
    }

    [Fact]
    public void Exposition_refuses_bad_names()
    {
        var w = new PrometheusWriter();
        Assert.Throws<ArgumentException>(() => w.Counter("edgegov_drops", "counters end in _total"));
        Assert.Throws<ArgumentException>(() => w.Gauge("9lives", "x"));
        Assert.Throws<ArgumentException>(() => w.Gauge("a-b", "x"));
        Assert.Throws<InvalidOperationException>(() => w.Sample("undeclared", 1));
        w.Gauge("ok", "x");
        Assert.Throws<ArgumentException>(() => w.Sample("ok", 1, ("bad-label", "v")));
    }

    [Fact]
    public void Logger_writes_syslog_priority_prefixes_and_filters()
    {
        var sink = new StringWriter();
        var log = new Logger("edgegov[node 3]", LogLevel.Info, sink);
        log.Error("e");
        log.Warning("w");
        log.Notice("n");
        log.Info("two\nlines");
        log.Debug("hidden");
        Assert.Equal("<3>edgegov[node 3]: e\n<4>edgegov[node 3]: w\n<5>edgegov[node 3]: n\n<6>edgegov[node 3]: two | lines\n", sink.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void SdNotify_sends_ready_and_watchdog_to_the_notify_socket()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.ReceiveTimeout = 10_000;

        using var notify = new SdNotify(path, watchdogUsec: "2000000", watchdogPid: "4242", processId: 4242);
        Assert.True(notify.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(2), notify.WatchdogInterval);
        Assert.True(notify.Ready("serving"));
        Assert.True(notify.Watchdog());
        Assert.True(notify.Stopping());

        byte[] buffer = new byte[512];
        string ready = Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
        Assert.StartsWith("READY=1\nSTATUS=serving\nMAINPID=", ready, StringComparison.Ordinal);
        Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
        Assert.Equal("STOPPING=1", Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
    }

    [Fact]
    public void SdNotify_supports_the_abstract_namespace()
    {
        string name = "edgegov-test-" + Guid.NewGuid().ToString("N");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        listener.ReceiveTimeout = 10_000;
        using var notify = new SdNotify("@" + name);
        Assert.True(notify.Watchdog());
        byte[] buffer = new byte[64];
        Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
    }

    [Theory]
    [InlineData(null, null, null, false, false)]
    [InlineData("", "1000", null, false, true)]
    [InlineData("relative/path", null, null, false, false)]
    [InlineData("/run/x", "abc", null, true, false)]
    [InlineData("/run/x", "1000", "1", true, false)]     // watchdog meant for another process
    [InlineData("/run/x", "1000", "4242", true, true)]
    public void SdNotify_reads_its_environment_defensively(string? socket, string? usec, string? pid, bool enabled, bool watchdog)
    {
        using var notify = new SdNotify(socket, usec, pid, processId: 4242);
        Assert.Equal(enabled, notify.Enabled);
        Assert.Equal(watchdog, notify.WatchdogInterval is not null);
        if (!enabled)
        {
            Assert.False(notify.Ready("x"));
        }
    }

    [Fact]
    public void SdNotify_without_listener_counts_errors_and_does_not_throw()
    {
        using var notify = new SdNotify("/nonexistent-dir/notify.sock");
        Assert.False(notify.Watchdog());
        Assert.Equal(1, notify.Errors);
    }

    [Fact]
    public async Task Http_server_serves_routes_and_refuses_garbage()
    {
        var log = new Logger("t", LogLevel.Error, new StringWriter());
        using var server = new HttpStatusServer(IPAddress.Loopback, 0,
            path => path == "/metrics" ? new HttpResponse(200, PrometheusWriter.ContentType, "up 1\n") : new HttpResponse(404, "text/plain", "no\n"), log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var ok = await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/metrics?x=1"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("up 1\n", await ok.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ok.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/nope"))).StatusCode);

        Assert.StartsWith("HTTP/1.1 405", Raw(server, "POST /metrics HTTP/1.1\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", Raw(server, "garbage\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 431", Raw(server, "GET /" + new string('a', 9000)), StringComparison.Ordinal);
        Assert.Equal("", Raw(server, "GET /metr"));   // client hangs up mid-request: nothing to answer
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/metrics"))).StatusCode);
        Assert.Equal(3, server.BadRequests);
    }

    private static string Raw(HttpStatusServer server, string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 30_000;
        client.Connect(server.EndPoint);
        try
        {
            client.Send(Encoding.ASCII.GetBytes(request));
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server may refuse before reading everything.
        }
        var answer = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = client.Receive(buffer)) > 0)
            {
                answer.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // Reset after the answer: keep what arrived.
        }
        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
