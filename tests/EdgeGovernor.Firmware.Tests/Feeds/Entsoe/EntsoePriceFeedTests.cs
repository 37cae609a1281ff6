using System.Globalization;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Feeds.Entsoe;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;

namespace EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

/// <summary>
/// The ENTSO-E feed against a local stub of the platform serving the real replies of <c>../shared/data/entsoe/</c>
/// (BE_2024-10-08_A44_PT60M.xml, DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml, acknowledgement_999_no_data.xml) and broken ones.
/// </summary>
public sealed class EntsoePriceFeedTests
{
    private const string Token = "0123abcd-secret-token";

    private sealed class FixedRandom(double value) : IRandomSource
    {
        public double NextDouble() => value;

        public ulong NextUInt64() => 0;
    }

    private static EntsoeConfig Config(string baseUrl, string zone) => new()
    {
        BaseUrl = baseUrl,
        BiddingZone = zone,
        Token = Token,
        RequestTimeoutSeconds = 5,
        RetryInitialSeconds = 60,
        RetryMaxSeconds = 1800,
        MinRequestSpacingSeconds = 5,
    };

    private static (EntsoePriceFeed Feed, PriceValidator Validator, StringWriter Log) Feed(EntsoeStub stub, string zone, double intervalMinutes = 15, double random = 1.0)
    {
        var validator = new PriceValidator(-100, 500);
        var log = new StringWriter();
        var feed = new EntsoePriceFeed(Config(stub.BaseUrl, zone), TimeSpan.FromMinutes(intervalMinutes), validator, new Logger("t", LogLevel.Debug, log), new FixedRandom(random));
        return (feed, validator, log);
    }

    private static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("10Y1001A1001A82H", true)]  // DE-LU
    [InlineData("10YBE----------2", true)]  // BE
    [InlineData("10YFR-RTE------C", true)]  // FR
    [InlineData("10Y1001A1001A82X", false)] // wrong check character
    [InlineData("10YBE----------", false)]  // 15 characters
    [InlineData("10ybe----------2", false)] // lower case
    [InlineData("", false)]
    public void EIC_codes_are_checked_with_their_check_character(string code, bool valid) =>
        Assert.Equal(valid, EicCode.IsValid(code, out _));

    [Fact]
    public async Task The_real_Belgian_reply_reaches_the_feed_with_the_A44_query_for_the_delivery_day()
    {
        using var stub = new EntsoeStub().ReplyFile("BE_2024-10-08_A44_PT60M.xml");
        (EntsoePriceFeed feed, PriceValidator validator, StringWriter log) = Feed(stub, "10YBE----------2");
        using (feed)
        {
            DateTime now = Utc("2024-10-08T09:10:00Z"); // 11:10 in Brussels: today is 2024-10-08
            PriceQuote q = (await feed.PollAsync(now, CancellationToken.None))!.Value;
            string target = Assert.Single(stub.Targets);
            Assert.Contains("documentType=A44", target, StringComparison.Ordinal);
            Assert.Contains("in_Domain=10YBE----------2&out_Domain=10YBE----------2", target, StringComparison.Ordinal);
            Assert.Contains("periodStart=202410072200&periodEnd=202410082200", target, StringComparison.Ordinal); // CEST day in UTC
            Assert.Contains("securityToken=" + Token, target, StringComparison.Ordinal);
            // Hourly reply: 09:00Z..10:00Z is position 12 of the day starting 22:00Z.
            Assert.Equal(Utc("2024-10-08T09:00:00Z"), q.IntervalStart);
            Assert.Equal(TimeSpan.FromHours(1), q.IntervalEnd - q.IntervalStart);
            Assert.Equal(24, validator.Accepted);
            Assert.True(feed.Schedule.Holds(new DateOnly(2024, 10, 8)));
            // Both polls before publication time answer from what is held, without a request.
            Assert.Equal(q, (await feed.PollAsync(now.AddMinutes(20), CancellationToken.None)));
            Assert.Single(stub.Targets);
            Assert.DoesNotContain(Token, log.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(15, 96)]
    [InlineData(60, 24)]
    public async Task The_real_DE_LU_reply_gives_two_days_at_the_configured_interval(int minutes, int perDay)
    {
        using var stub = new EntsoeStub().ReplyFile("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml");
        (EntsoePriceFeed feed, PriceValidator validator, _) = Feed(stub, "10Y1001A1001A82H", minutes);
        using (feed)
        {
            DateTime now = Utc("2024-10-06T13:07:00Z");
            PriceQuote q = (await feed.PollAsync(now, CancellationToken.None))!.Value;
            Assert.Equal(TimeSpan.FromMinutes(minutes), q.IntervalEnd - q.IntervalStart);
            Assert.Equal(2 * perDay, validator.Accepted);
            Assert.True(feed.Schedule.Holds(new DateOnly(2024, 10, 6)));
            Assert.True(feed.Schedule.Holds(new DateOnly(2024, 10, 7))); // tomorrow came with today: no request for it
            Assert.False(feed.Schedule.TryNext(now.AddHours(1), out _));
            Assert.Single(stub.Targets);
            // Tomorrow's last interval is held too; by then (23:59 in Brussels, past 12:45) the day after is asked for.
            Assert.NotNull(await feed.PollAsync(Utc("2024-10-07T21:59:00Z"), CancellationToken.None));
            Assert.Equal(2, stub.Targets.Count);
            Assert.Contains("periodStart=202410072200&periodEnd=202410082200", stub.Targets[1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_no_data_acknowledgement_is_no_price_and_the_feed_asks_again_later_with_backoff()
    {
        using var stub = new EntsoeStub()
            .ReplyFile("BE_2024-10-08_A44_PT60M.xml")
            .ReplyFile("acknowledgement_999_no_data.xml", 400)
            .ReplyFile("acknowledgement_999_no_data.xml", 200);
        (EntsoePriceFeed feed, PriceValidator validator, StringWriter log) = Feed(stub, "10YBE----------2", 60, random: 0.0);
        using (feed)
        {
            DateTime morning = Utc("2024-10-08T08:00:00Z");
            Assert.NotNull((await feed.PollAsync(morning, CancellationToken.None)));
            // 12:45 Brussels = 10:45Z: tomorrow is asked for, and not there yet.
            DateTime t = Utc("2024-10-08T10:46:00Z");
            Assert.NotNull((await feed.PollAsync(t, CancellationToken.None))); // today's price still answers
            Assert.Equal(2, stub.Targets.Count);
            Assert.Contains("periodStart=202410082200&periodEnd=202410092200", stub.Targets[1], StringComparison.Ordinal);
            Assert.Equal(1, feed.Schedule.Failures);
            // Backoff: the lower half of 60 s with this jitter, so nothing before 30 s, the next request after.
            Assert.Equal(2, stub.Targets.Count);
            await feed.PollAsync(t.AddSeconds(29), CancellationToken.None);
            Assert.Equal(2, stub.Targets.Count);
            await feed.PollAsync(t.AddSeconds(31), CancellationToken.None);
            Assert.Equal(3, stub.Targets.Count);
            Assert.Equal(2, feed.Schedule.Failures); // the 200 acknowledgement: no data either, the delay doubles
            Assert.Equal(t.AddSeconds(31 + 60), feed.Schedule.NotBeforeUtc);
            Assert.Equal(24, validator.Accepted);
            Assert.Contains("No matching data found", log.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_429_or_503_waits_for_Retry_After_capped_at_the_longest_delay()
    {
        using var stub = new EntsoeStub().Reply(429, "", "Retry-After: 600\r\n").Reply(503, "", "Retry-After: 99999\r\n");
        (EntsoePriceFeed feed, PriceValidator validator, _) = Feed(stub, "10YBE----------2", 60, random: 0.0);
        using (feed)
        {
            DateTime t = Utc("2024-10-08T08:00:00Z");
            Assert.Null((await feed.PollAsync(t, CancellationToken.None)));
            Assert.Equal(t.AddSeconds(600), feed.Schedule.NotBeforeUtc);
            Assert.Null((await feed.PollAsync(t.AddSeconds(600), CancellationToken.None)));
            Assert.Equal(t.AddSeconds(600 + 1800), feed.Schedule.NotBeforeUtc);
            Assert.Equal(2, validator.Rejected(PriceRejection.Unavailable));
        }
    }

    public static TheoryData<string, string> BrokenReplies()
    {
        string be = File.ReadAllText(RepoPaths.SharedDataFile("entsoe", "BE_2024-10-08_A44_PT60M.xml"));
        return new TheoryData<string, string>
        {
            { be[..(be.Length / 2)], "not well-formed" },
            { be.Replace("publicationdocument:7:3", "publicationdocument:6:0", StringComparison.Ordinal), "unknown namespace" },
            { be.Replace("<price_Measure_Unit.name>MWH", "<price_Measure_Unit.name>KWH", StringComparison.Ordinal), "price unit" },
            { be.Replace("<currency_Unit.name>EUR", "<currency_Unit.name>GBP", StringComparison.Ordinal), "currency" },
            { be.Replace("<resolution>PT60M", "<resolution>PT0M", StringComparison.Ordinal), "resolution" },
            { be.Replace("<resolution>PT60M", "<resolution>P1D", StringComparison.Ordinal), "resolution" },
            { be.Replace("<position>24</position>", "<position>25</position>", StringComparison.Ordinal), "outside 1..24" },
            // Whole hours, but 23 of them: not the 24-hour delivery day 2024-10-08.
            { Regex.Replace(be.Replace("<end>2024-10-08T22:00Z</end>", "<end>2024-10-08T21:00Z</end>", StringComparison.Ordinal), @"<Point>\s*<position>24</position>.*?</Point>", "", RegexOptions.Singleline), "whole delivery days" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenReplies))]
    public async Task A_broken_reply_holds_no_price_and_backs_off(string body, string why)
    {
        using var stub = new EntsoeStub().Reply(200, body);
        (EntsoePriceFeed feed, PriceValidator validator, StringWriter log) = Feed(stub, "10YBE----------2", 60);
        using (feed)
        {
            DateTime t = Utc("2024-10-08T08:00:00Z");
            Assert.Null((await feed.PollAsync(t, CancellationToken.None)));
            Assert.Equal(0, validator.Accepted);
            Assert.Equal(1, validator.Rejected(PriceRejection.Malformed));
            Assert.Equal(1, feed.Schedule.Failures);
            Assert.True(feed.Schedule.NotBeforeUtc >= t.AddSeconds(30));
            Assert.Contains(why, log.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2025-03-29T23:00Z", "2025-03-30T22:00Z", 92, "2025-03-30T10:00:00Z", true)]  // spring: 23 h
    [InlineData("2025-10-25T22:00Z", "2025-10-26T23:00Z", 100, "2025-10-26T10:00:00Z", true)] // autumn: 25 h
    [InlineData("2025-10-25T22:00Z", "2025-10-26T22:00Z", 96, "2025-10-26T10:00:00Z", false)] // 96 on the 25-hour day
    [InlineData("2025-10-26T23:00Z", "2025-10-28T00:00Z", 100, "2025-10-27T10:00:00Z", false)] // 100 on an ordinary day
    public async Task Clock_change_days_are_92_or_100_quarter_hours_and_must_match_the_delivery_day(string start, string end, int count, string now, bool accepted)
    {
        using var stub = new EntsoeStub().Reply(200, EntsoeParserTests.Reply(start, end, "PT15M", EntsoeParserTests.Points(count)));
        (EntsoePriceFeed feed, PriceValidator validator, _) = Feed(stub, "10Y1001A1001A82H");
        using (feed)
        {
            PriceQuote? q = (await feed.PollAsync(Utc(now), CancellationToken.None));
            Assert.Equal(accepted, q is not null);
            Assert.Equal(accepted ? count : 0, validator.Accepted);
        }
    }

    [Fact]
    public async Task A_day_ahead_poll_looks_ahead_without_sending_requests_for_the_days_it_looks_at()
    {
        using var stub = new EntsoeStub().ReplyFile("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml");
        (EntsoePriceFeed feed, PriceValidator validator, _) = Feed(stub, "10Y1001A1001A82H");
        using (feed)
        {
            // As the coordinator polls: now (11:00 in Brussels, before publication), then 36 h ahead into 10-07 evening,
            // where tomorrow (10-08) would be due if that were now.
            var poller = new FeedPoller(feed, 1_000_000, TimeSpan.FromMinutes(15), TimeSpan.FromHours(36), validator, new Logger("t", LogLevel.Error, new StringWriter()));
            poller.Poll(Utc("2024-10-06T09:00:00Z"), 0);
            var quotes = new List<PriceQuote>();
            for (int i = 0; i < 500 && (poller.IsPending || quotes.Count == 0); i++)
            {
                while (poller.TryTake(out PriceQuote q))
                {
                    quotes.Add(q);
                }
                await Task.Delay(10);
            }
            // 09:00Z..21:45Z of 10-06 (52) and every quarter-hour of 10-07 starting by the horizon, 21:00Z (93).
            Assert.Equal(52 + 93, quotes.Count);
            Assert.Single(stub.Targets);
        }
    }

    [Fact]
    public void The_schedule_asks_for_today_at_once_and_for_tomorrow_from_the_publication_time_in_Brussels()
    {
        Assert.True(EntsoeRequestSchedule.TryFindZone("Europe/Brussels", out TimeZoneInfo zone));
        var s = new EntsoeRequestSchedule(zone, new TimeOnly(12, 45), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(5), new FixedRandom(0.5));
        DateTime t = Utc("2025-01-15T06:00:00Z");
        Assert.True(s.TryNext(t, out DateOnly day));
        Assert.Equal(new DateOnly(2025, 1, 15), day);
        s.Sent(t);
        s.Received(day);
        Assert.False(s.TryNext(Utc("2025-01-15T11:44:00Z"), out _)); // 12:44 CET
        Assert.True(s.TryNext(Utc("2025-01-15T11:45:00Z"), out day)); // 12:45 CET
        Assert.Equal(new DateOnly(2025, 1, 16), day);
        // Backoff doubles to the cap; jitter 0.5 takes 75 % of each ceiling.
        DateTime f = Utc("2025-01-15T11:45:00Z");
        double[] expected = [45, 90, 180, 360, 720, 1350, 1350];
        foreach (double seconds in expected)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), s.Failed(f));
        }
        s.Received(day);
        Assert.Equal(0, s.Failures);
        // Clock changes: delivery days of 23 and 25 hours.
        (DateTime a, DateTime b) = s.Span(new DateOnly(2025, 3, 30));
        Assert.Equal((Utc("2025-03-29T23:00:00Z"), TimeSpan.FromHours(23)), (a, b - a));
        (a, b) = s.Span(new DateOnly(2025, 10, 26));
        Assert.Equal((Utc("2025-10-25T22:00:00Z"), TimeSpan.FromHours(25)), (a, b - a));
    }

    [Fact]
    public async Task Requests_are_spaced_far_below_the_platform_limit_whatever_the_poll_rate()
    {
        using var stub = new EntsoeStub().Reply(503, "");
        (EntsoePriceFeed feed, _, _) = Feed(stub, "10YBE----------2", 60, random: 0.0);
        using (feed)
        {
            // Polled every 100 ms for ten minutes of an outage: requests only as the backoff allows.
            DateTime t = Utc("2024-10-08T08:00:00Z");
            for (int i = 0; i < 6000; i++)
            {
                await feed.PollAsync(t.AddMilliseconds(100 * i), CancellationToken.None);
            }
            Assert.InRange(stub.Targets.Count, 2, 6);
            Assert.True(stub.Targets.Count < EntsoeRequestSchedule.PlatformLimitPerMinute / 10);
        }
    }

    [Fact]
    public void The_token_file_must_be_owner_only_and_the_zone_a_valid_EIC()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var dir = new TempDir();
        string token = dir.File("token", Token + "\n");
        var f = new PriceFeedConfig { Kind = "entsoe", Entsoe = new EntsoeConfig { BiddingZone = "10Y1001A1001A82H", TokenFile = token } };
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var errors = new List<ConfigError>();
        EntsoeConfigValidator.Validate(f, errors);
        ConfigError e = Assert.Single(errors);
        Assert.Equal("$.priceFeed.entsoe.tokenFile", e.Path);
        Assert.Contains("640", e.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.Reason, StringComparison.Ordinal);

        File.SetUnixFileMode(token, UnixFileMode.UserRead);
        errors.Clear();
        EntsoeConfigValidator.Validate(f, errors);
        Assert.Empty(errors);
        Assert.Equal(Token, f.Entsoe.Token);

        f.Entsoe.BiddingZone = "10Y1001A1001A82J";
        f.Entsoe.TimeZone = "Europe/Nowhere";
        f.Entsoe.BaseUrl = "ftp://example.org/api";
        f.Entsoe.MinRequestSpacingSeconds = 0.1;
        errors.Clear();
        EntsoeConfigValidator.Validate(f, errors);
        Assert.Equal(
            ["$.priceFeed.entsoe.baseUrl", "$.priceFeed.entsoe.biddingZone", "$.priceFeed.entsoe.minRequestSpacingSeconds", "$.priceFeed.entsoe.timeZone"],
            errors.Select(x => x.Path).Order(StringComparer.Ordinal));
    }
}
