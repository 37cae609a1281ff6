using System.Net;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Feeds;

public sealed class FeedTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static (PriceValidator Validator, Logger Log, StringWriter Lines) Setup()
    {
        var lines = new StringWriter();
        return (new PriceValidator(-50, 400), new Logger("test", LogLevel.Debug, lines), lines);
    }

    [Fact]
    public void Csv_bad_rows_are_rejected_logged_and_counted_good_rows_kept()
    {
        var (validator, log, lines) = Setup();
        string csv = string.Join("\n",
            "Datetime,Price (EUR/MWh)",
            "2024-01-01 00:00:00,50.5",
            "2024-01-01 01:00:00,abc",             // not a number
            "2024-01-01 02:00:00,10,11",           // 3 columns
            "yesterday,10",                        // bad time
            "2024-01-01 03:00:00,NaN",             // not finite
            "2024-01-01 04:00:00,-900",            // below -50 ct/kWh (-500 EUR/MWh floor)
            "2024-01-01 05:00:00,5000",            // above 400 ct/kWh
            "2024-01-01 06:00:00,-12.5",           // negative prices are fine
            "2024-01-01 05:30:00,20",              // out of order
            "");
        CsvPriceFeed feed = CsvPriceFeed.Parse(new StringReader(csv), "t.csv", Hour, validator, log);
        Assert.Equal(2, feed.Quotes.Count);
        Assert.Equal(5.05, feed.Quotes[0].CtPerKwh, 10);
        Assert.Equal(-1.25, feed.Quotes[1].CtPerKwh, 10);
        Assert.Equal(3, validator.Rejected(PriceRejection.Malformed));
        Assert.Equal(1, validator.Rejected(PriceRejection.NotFinite));
        Assert.Equal(1, validator.Rejected(PriceRejection.BelowMinimum));
        Assert.Equal(1, validator.Rejected(PriceRejection.AboveMaximum));
        Assert.Equal(1, validator.Rejected(PriceRejection.OutOfOrder));
        Assert.Equal(2, validator.Accepted);
        string log_ = lines.ToString();
        Assert.Contains("<4>test: price feed t.csv line 3: rejected: 'abc' is not a number", log_, StringComparison.Ordinal);
        Assert.Contains("line 4: rejected: expected 2 columns", log_, StringComparison.Ordinal);
        Assert.Contains("line 10: rejected: 2024-01-01 05:30:00 is not after the previous row", log_, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_rows_outside_the_market_window_are_rejected_one_by_one_not_the_file()
    {
        var (validator, log, lines) = Setup();
        string csv = string.Join("\n",
            "Datetime,Price (EUR/MWh)",
            "1999-12-31 23:00:00,40",              // before 2000
            "2024-01-01 00:00:00,50",
            "2024-01-01 01:00:00,60",
            "2099-12-31 23:30:00,70",              // its hour ends after 2100-01-01
            "9999-12-31 23:30:00,80",              // its end is not even a DateTime
            "");
        CsvPriceFeed feed = CsvPriceFeed.Parse(new StringReader(csv), "t.csv", Hour, validator, log);
        Assert.Equal([5.0, 6.0], feed.Quotes.Select(q => Math.Round(q.CtPerKwh, 6)));
        Assert.Equal(3, validator.Rejected(PriceRejection.Implausible));
        Assert.Contains("line 6: rejected: 9999-12-31 23:30:00 is outside the plausibility window 2000-01-01 .. 2100-01-01", lines.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_feed_start_times_outside_the_plausibility_window_are_rejected_per_record()
    {
        var (_, log, lines) = Setup();
        var validator = new PriceValidator(-50, 400, plausiblePastHours: 48, plausibleAheadHours: 192);
        string body = "";
        using var server = new HttpStatusServer(IPAddress.Loopback, 0, _ => new HttpResponse(200, "application/json", body), log);
        using HttpJsonPriceFeed feed = HttpFeed(server, validator, log, startField: "data.start");
        var now = new DateTime(2026, 12, 6, 7, 20, 0, DateTimeKind.Utc);
        string[] implausible = ["2001-06-01T13:00:00Z", "9999-12-30T23:00:00Z", "2026-12-04T07:00:00Z", "2026-12-14T08:00:00Z"];
        foreach (string start in implausible)
        {
            body = $$"""{ "data": { "price": 80, "start": "{{start}}" } }""";
            Assert.Null(await feed.PollAsync(now, CancellationToken.None));
        }
        Assert.Equal(implausible.Length, validator.Rejected(PriceRejection.Implausible));
        Assert.Contains("outside 48 h before to 192 h after 2026-12-06T07:20:00Z", lines.ToString(), StringComparison.Ordinal);

        foreach (string start in (string[])["2026-12-04T08:00:00Z", "2026-12-06T07:00:00Z", "2026-12-14T07:00:00Z"])
        {
            body = $$"""{ "data": { "price": 80, "start": "{{start}}" } }""";
            Assert.NotNull(await feed.PollAsync(now, CancellationToken.None));
        }
        Assert.Equal(3, validator.Accepted);
        body = """{ "data": { "price": 80, "start": "9999-12-31T23:30:00Z" } }"""; // its end is not a DateTime
        Assert.Null(await feed.PollAsync(now, CancellationToken.None));
    }

    [Theory]
    [InlineData("Time,Price\n2024-01-01 00:00:00,1\n", "expected the header")]
    [InlineData("", "expected the header")]
    [InlineData("Datetime,Price (EUR/MWh)\nx,y\n", "no valid price row")]
    public void Csv_unusable_files_throw_a_clear_error(string csv, string expected)
    {
        var (validator, log, _) = Setup();
        var e = Assert.Throws<InvalidDataException>(() => CsvPriceFeed.Parse(new StringReader(csv), "t.csv", Hour, validator, log));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reads_the_shared_DE_LU_2024_file_and_its_gap()
    {
        // Reads ../shared/data/prices/DE-LU_2024.csv (8760 hourly rows, 2024-01-31 missing).
        var (validator, log, _) = Setup();
        CsvPriceFeed feed = CsvPriceFeed.Load(Path.Combine(RepoPaths.SharedData, "prices", "DE-LU_2024.csv"), Hour, validator, log);
        Assert.Equal(8760, feed.Quotes.Count);
        Assert.Equal(0, validator.RejectedTotal);
        Assert.Equal(0.01, feed.At(new DateTime(2024, 1, 1, 0, 30, 0))!.Value.CtPerKwh, 10);
        Assert.Equal(-0.001, feed.At(new DateTime(2024, 1, 1, 3, 59, 59))!.Value.CtPerKwh, 10);
        Assert.Null(feed.At(new DateTime(2024, 1, 31, 12, 0, 0)));
        Assert.Null(feed.At(new DateTime(2023, 12, 31, 23, 0, 0)));
        Assert.Null(feed.At(new DateTime(2025, 1, 1, 0, 0, 0)));
        Assert.True(feed.Quotes.Count(q => q.CtPerKwh < 0) > 400);
    }

    [Fact]
    public void Synthetic_profile_is_deterministic_and_has_the_day_ahead_features()
    {
        var a = new SyntheticPriceFeed(7, Hour);
        var b = new SyntheticPriceFeed(7, Hour);
        var other = new SyntheticPriceFeed(8, Hour);
        var start = new DateTime(2024, 1, 1);
        var year = Enumerable.Range(0, 24 * 365).Select(h => a.At(start.AddHours(h))).ToArray();
        Assert.Equal(year, Enumerable.Range(0, 24 * 365).Select(h => b.At(start.AddHours(h))));
        Assert.NotEqual(year.Select(q => q.CtPerKwh), Enumerable.Range(0, 24 * 365).Select(h => other.At(start.AddHours(h)).CtPerKwh));
        Assert.All(year, q => Assert.Equal(Hour, q.IntervalEnd - q.IntervalStart));
        Assert.Contains(year, q => q.CtPerKwh < 0);                              // negative hours
        Assert.Contains(year, q => q.CtPerKwh > 25);                             // evening spikes (> 250 EUR/MWh)
        double mean(int hour) => year.Where(q => q.IntervalStart.Hour == hour).Average(q => q.CtPerKwh);
        Assert.True(mean(19) > mean(13) + 5, "evening above midday");
        Assert.True(mean(8) > mean(3), "morning above night");
        var validator = new PriceValidator(-50, 400);
        Assert.All(year, q => Assert.True(validator.TryAccept(q, out _)));
        Assert.Equal(year[5], a.At(start.AddHours(5).AddMinutes(59)));
    }

    [Fact]
    public void Market_clock_accelerates()
    {
        long wall = 1_000_000;
        var clock = new MarketClock(new DateTime(2024, 6, 1), epochUnixMs: 1_000_000, acceleration: 1440, unixMs: () => wall);
        Assert.Equal(new DateTime(2024, 6, 1), clock.Now);
        wall += 60_000; // one wall minute = one market day
        Assert.Equal(new DateTime(2024, 6, 2), clock.Now);
        Assert.Equal(2500, clock.WallMilliseconds(Hour), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketClock(default, 0, 0));
    }

    private static HttpJsonPriceFeed HttpFeed(HttpStatusServer server, PriceValidator validator, Logger log, string startField = "") =>
        new(new Uri($"http://127.0.0.1:{server.EndPoint.Port}/price"), "data.price", startField, "EUR/MWh", Hour, TimeSpan.FromSeconds(10), validator, log);

    [Fact]
    public async Task Http_feed_reads_configured_fields_and_rejects_bad_bodies()
    {
        var (validator, log, lines) = Setup();
        string body = "";
        int status = 200;
        using var server = new HttpStatusServer(IPAddress.Loopback, 0, _ => new HttpResponse(status, "application/json", body), log);
        using HttpJsonPriceFeed feed = HttpFeed(server, validator, log, startField: "data.start");
        var now = new DateTime(2024, 6, 1, 13, 20, 0);

        body = """{ "data": { "price": 87.5, "start": "2024-06-01T13:00:00" } }""";
        PriceQuote? q = await feed.PollAsync(now, CancellationToken.None);
        Assert.Equal(new PriceQuote(new DateTime(2024, 6, 1, 13, 0, 0), new DateTime(2024, 6, 1, 14, 0, 0), 8.75), q);

        body = """{ "data": { "price": "-20", "start": "2024-06-01T13:00:00" } }""";
        Assert.Equal(-2.0, (await feed.PollAsync(now, CancellationToken.None))!.Value.CtPerKwh, 10);

        string[] bad =
        [
            "not json",
            """{ "data": { "start": "2024-06-01T13:00:00" } }""",
            """{ "data": { "price": true, "start": "2024-06-01T13:00:00" } }""",
            """{ "data": { "price": 10 } }""",
            """{ "data": { "price": 10, "start": "soon" } }""",
            """[1,2,3]""",
        ];
        foreach (string b in bad)
        {
            body = b;
            Assert.Null(await feed.PollAsync(now, CancellationToken.None));
        }
        Assert.Equal(bad.Length, validator.Rejected(PriceRejection.Malformed));

        body = """{ "data": { "price": 99999, "start": "2024-06-01T13:00:00" } }""";
        Assert.Null(await feed.PollAsync(now, CancellationToken.None));
        Assert.Equal(1, validator.Rejected(PriceRejection.AboveMaximum));

        status = 503;
        Assert.Null(await feed.PollAsync(now, CancellationToken.None));
        Assert.Equal(1, validator.Rejected(PriceRejection.Unavailable));
        Assert.Contains("HTTP 503", lines.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_feed_without_start_field_uses_the_current_interval_and_survives_a_dead_server()
    {
        var (validator, log, _) = Setup();
        var server = new HttpStatusServer(IPAddress.Loopback, 0, _ => new HttpResponse(200, "application/json", """{"data":{"price":40}}"""), log);
        using HttpJsonPriceFeed feed = HttpFeed(server, validator, log);
        var now = new DateTime(2024, 6, 1, 13, 20, 0);
        PriceQuote q = (await feed.PollAsync(now, CancellationToken.None))!.Value;
        Assert.Equal(new DateTime(2024, 6, 1, 13, 0, 0), q.IntervalStart);
        Assert.Equal(4.0, q.CtPerKwh, 10);
        server.Dispose();
        Assert.Null(await feed.PollAsync(now, CancellationToken.None));
        Assert.Equal(1, validator.Rejected(PriceRejection.Unavailable));
    }
}
