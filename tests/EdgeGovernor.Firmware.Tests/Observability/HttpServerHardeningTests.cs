using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Observability;

/// <summary>The /metrics and /status endpoint against slow, idle and competing clients, and a failing handler.</summary>
public sealed class HttpServerHardeningTests
{
    private static HttpResponse Metrics(string path) =>
        path == "/metrics" ? new HttpResponse(200, PrometheusWriter.ContentType, "edgegov_up 1\n") : new HttpResponse(404, "text/plain", "no\n");

    [Fact]
    public async Task A_scrape_answers_within_a_second_under_500_idle_connections_and_a_trickling_client()
    {
        var log = new Logger("t", LogLevel.Error, new StringWriter());
        using var server = new HttpStatusServer(IPAddress.Loopback, 0, Metrics, log);
        var idle = new List<Socket>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (int i = 0; i < 500; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(s);
                await s.ConnectAsync(server.EndPoint);
            }
            // One client trickles a request head, a byte every 1.5 s, over and over.
            Task trickler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await s.ConnectAsync(server.EndPoint);
                    try
                    {
                        foreach (byte b in "GET /metrics HTTP/1.1\r\n"u8.ToArray())
                        {
                            await s.SendAsync(new[] { b });
                            await Task.Delay(1500, stop.Token);
                        }
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                        // closed by the server's deadline, or the test ends
                    }
                }
            });
            await Task.Delay(200);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            for (int i = 0; i < 6; i++)
            {
                var watch = Stopwatch.StartNew();
                HttpResponseMessage ok = await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/metrics"));
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                Assert.Equal("edgegov_up 1\n", await ok.Content.ReadAsStringAsync());
                Assert.True(watch.ElapsedMilliseconds < 1000, $"scrape {i} took {watch.ElapsedMilliseconds} ms");
                await Task.Delay(400);
            }
            Assert.True(server.OpenConnections <= HttpStatusServer.DefaultMaxConnections);
            Assert.True(server.Evicted >= 500 - HttpStatusServer.DefaultMaxConnections);
            stop.Cancel();
            await trickler;
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task An_idle_connection_is_closed_at_the_request_deadline()
    {
        var log = new Logger("t", LogLevel.Error, new StringWriter());
        using var server = new HttpStatusServer(IPAddress.Loopback, 0, Metrics, log, requestDeadline: TimeSpan.FromMilliseconds(300));
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(server.EndPoint);
        await s.SendAsync("GET /metr"u8.ToArray());
        var watch = Stopwatch.StartNew();
        s.ReceiveTimeout = 5_000;
        int n;
        try
        {
            n = s.Receive(new byte[16]);
        }
        catch (SocketException)
        {
            n = 0; // reset: closed all the same
        }
        Assert.Equal(0, n);
        Assert.InRange(watch.ElapsedMilliseconds, 0, 2_000);
        Assert.True(SpinWait.SpinUntil(() => server.OpenConnections == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_second_listener_on_the_port_fails_with_an_error_naming_the_port()
    {
        var log = new Logger("t", LogLevel.Error, new StringWriter());
        using var first = new HttpStatusServer(IPAddress.Loopback, 0, Metrics, log);
        int port = first.EndPoint.Port;
        IOException e = Assert.Throws<IOException>(() => new HttpStatusServer(IPAddress.Loopback, port, Metrics, log));
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", e.Message, StringComparison.Ordinal);

        // Nor can anyone join with SO_REUSEPORT (what .NET's ReuseAddress sets on Linux).
        using var sneaky = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sneaky.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        SocketException se = Assert.Throws<SocketException>(() => sneaky.Bind(new IPEndPoint(IPAddress.Loopback, port)));
        Assert.Equal(SocketError.AddressAlreadyInUse, se.SocketErrorCode);
    }

    [Fact]
    public async Task A_handler_that_throws_answers_500_is_counted_and_the_server_serves_on()
    {
        var lines = new StringWriter();
        var log = new Logger("t", LogLevel.Debug, TextWriter.Synchronized(lines));
        var faults = new HandlerFaults(log);
        using var server = new HttpStatusServer(IPAddress.Loopback, 0,
            path => path == "/boom" ? throw new InvalidOperationException("kaputt") : Metrics(path), log, faults);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/boom"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/metrics"))).StatusCode);
        Assert.Equal(1, faults.Http);
        Assert.Contains("http: dropped request for /boom after InvalidOperationException: kaputt", lines.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_faults_are_exposed_by_boundary()
    {
        var log = new Logger("t", LogLevel.Error, new StringWriter());
        var faults = new HandlerFaults(log);
        faults.RecordDatagram("PriceRecord datagram (120 bytes)", new ArgumentOutOfRangeException("ticks"));
        faults.RecordFeed("feed record", new OverflowException());
        var snapshot = new NodeSnapshot(1, 1, [1], "127.0.0.1:1", 1000, 1, "fixed-cap",
            new EdgeGovernor.Firmware.Feeds.MarketClock(DateTime.UnixEpoch, 0, 1), new EdgeGovernor.Firmware.Feeds.PriceValidator(-50, 400), faults)
        {
            Oversized = 3,
            PricesIgnored = 2,
            FeedPollsAbandoned = 1,
        };
        string text = NodeMetrics.Write(snapshot);
        Assert.Contains("edgegov_handler_faults_total{where=\"datagram\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_handler_faults_total{where=\"feed\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_handler_faults_total{where=\"http\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_drops_total{reason=\"Oversized\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_price_records_ignored_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("edgegov_feed_polls_abandoned_total 1\n", text, StringComparison.Ordinal);
    }
}
