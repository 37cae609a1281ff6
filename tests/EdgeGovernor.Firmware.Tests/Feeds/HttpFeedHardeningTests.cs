using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Feeds;

/// <summary>The HTTP feed against suppliers' quirks: start times with UTC offsets, and a server that stalls after its headers.</summary>
public sealed class HttpFeedHardeningTests
{
    private static HttpJsonPriceFeed Feed(Uri url, PriceValidator validator, Logger log, TimeSpan timeout) =>
        new(url, "price", "start", "EUR/MWh", TimeSpan.FromHours(1), timeout, validator, log);

    [Theory]
    [InlineData("2026-03-30T05:00:00+02:00", 3)] // CEST: 05:00 local = 03:00 UTC
    [InlineData("2026-01-15T05:00:00+01:00", 4)] // CET
    [InlineData("2026-01-15T05:00:00Z", 5)]
    [InlineData("2026-01-15T05:00:00", 5)]       // no offset: UTC
    public void Start_times_with_a_utc_offset_are_kept_as_instants(string start, int utcHour)
    {
        var validator = new PriceValidator(-50, 400);
        using HttpJsonPriceFeed feed = Feed(new Uri("http://127.0.0.1:9/"), validator, new Logger("t", LogLevel.Error, new StringWriter()), TimeSpan.FromSeconds(1));
        var marketNow = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True(feed.TryParse(Encoding.UTF8.GetBytes($$"""{"price": 80, "start": "{{start}}"}"""), marketNow, out PriceQuote q, out string? problem), problem);
        Assert.Equal(utcHour, q.IntervalStart.Hour);
        Assert.Equal(utcHour, q.IntervalStart.ToUniversalTime().Hour);
        Assert.Equal(q.IntervalStart.AddHours(1), q.IntervalEnd);

        // Published on the http feed's market clock (UTC): the interval's wall time is the instant the supplier named.
        var clock = new MarketClock(DateTime.UnixEpoch, 0, 1);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds(),
            clock.UnixMsAt(q.IntervalStart));
    }

    /// <summary>A one-connection-at-a-time server: while <see cref="Stall"/> it sends the headers and then nothing.</summary>
    private sealed class StallingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly Thread _thread;

        public StallingServer()
        {
            _listener.Start();
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public volatile bool Stall = true;

        public int Requests;

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/price");

        private void Serve()
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = _listener.AcceptSocket();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                Interlocked.Increment(ref Requests);
                client.Receive(new byte[4096]);
                const string Body = """{"price": 95, "start": "2026-01-15T05:00:00+01:00"}""";
                if (Stall)
                {
                    client.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{{"));
                    lock (_held)
                    {
                        _held.Add(client); // never finished, never closed
                    }
                    continue;
                }
                client.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}"));
                client.Shutdown(SocketShutdown.Send);
                client.Dispose();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }
        }
    }

    [Fact]
    public void A_feed_that_stalls_after_its_headers_is_abandoned_at_the_deadline_and_polled_again_on_schedule()
    {
        using var server = new StallingServer();
        var validator = new PriceValidator(-50, 400);
        var lines = new StringWriter();
        var log = new Logger("t", LogLevel.Debug, TextWriter.Synchronized(lines));
        // A 3 s deadline: the recovered poll's answer must come within it even on a loaded CI host (with 1 s it was
        // abandoned there too, the thread pool busy with the other test assemblies).
        using HttpJsonPriceFeed feed = Feed(server.Url, validator, log, TimeSpan.FromSeconds(3));
        var poller = new FeedPoller(feed, periodUs: 6_000_000, TimeSpan.FromHours(1), TimeSpan.Zero, validator, log, timeoutUs: 3_000_000);
        var clock = Stopwatch.StartNew();
        long NowUs() => (long)clock.Elapsed.TotalMicroseconds;
        var marketNow = new DateTime(2026, 1, 15, 4, 30, 0, DateTimeKind.Utc);

        poller.Poll(marketNow, NowUs());
        Assert.True(poller.IsPending);
        // The loop's turns: expire at the deadline, take what completed.
        Assert.True(SpinWait.SpinUntil(() =>
        {
            poller.Expire(NowUs());
            poller.TryTake(out _);
            return !poller.IsPending;
        }, TimeSpan.FromSeconds(10)), "a stalled poll was never abandoned");
        Assert.InRange(clock.ElapsedMilliseconds, 2_900, 10_000);
        Assert.Equal(1, poller.Abandoned);
        Assert.Single(lines.ToString().Split('\n'), l => l.Contains("price feed poll abandoned", StringComparison.Ordinal));

        // The feed recovers; the next poll starts on schedule (one period after the first) and its price is taken.
        server.Stall = false;
        Assert.InRange(poller.NextPollUs, 6_000_000, 6_500_000);
        long next = poller.NextPollUs;
        Assert.True(SpinWait.SpinUntil(() => NowUs() >= next, TimeSpan.FromSeconds(10)));
        poller.Poll(marketNow, NowUs());
        PriceQuote quote = default;
        bool got = false;
        Assert.True(SpinWait.SpinUntil(() =>
        {
            poller.Expire(NowUs());
            got = got || poller.TryTake(out quote);
            return got;
        }, TimeSpan.FromSeconds(10)), $"no price after the feed recovered: requests {server.Requests}, log: {lines}");
        Assert.Equal(9.5, quote.CtPerKwh, 10);
        Assert.Equal(new DateTime(2026, 1, 15, 4, 0, 0), quote.IntervalStart);
        Assert.Equal(1, poller.Abandoned);
    }
}
