using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Feeds;

/// <summary>The feed poller against a fake feed: day-ahead lookups, a slow feed taken on a later turn, failures counted.</summary>
public sealed class FeedPollerTests
{
    private static readonly DateTime Now = new(2024, 5, 16, 10, 20, 0);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>A feed that answers at once (day-ahead) or when the test says so (slow), and records every request.</summary>
    private sealed class FakeFeed(bool knowsDayAhead) : IPriceFeed
    {
        public List<DateTime> Asked { get; } = [];

        public TaskCompletionSource<PriceQuote?>? Slow { get; set; }

        public Func<DateTime, PriceQuote?> Answer { get; set; } = t => new PriceQuote(Floor(t), Floor(t) + Hour, t.Hour);

        public string Name => "fake";

        public bool KnowsDayAhead => knowsDayAhead;

        public ushort SourceId => 9;

        public ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken)
        {
            Asked.Add(marketNow);
            return Slow is { } slow ? new ValueTask<PriceQuote?>(slow.Task) : ValueTask.FromResult(Answer(marketNow));
        }

        public void Dispose()
        {
        }

        private static DateTime Floor(DateTime t) => new(t.Ticks - (t.Ticks % Hour.Ticks));
    }

    private static (FeedPoller Poller, PriceValidator Validator, StringWriter Log) Create(IPriceFeed feed, double aheadHours = 3)
    {
        var validator = new PriceValidator(-50, 500);
        var log = new StringWriter();
        return (new FeedPoller(feed, periodUs: 200_000, Hour, TimeSpan.FromHours(aheadHours), validator, new Logger("test", LogLevel.Debug, log)), validator, log);
    }

    private static List<PriceQuote> TakeAll(FeedPoller poller)
    {
        var quotes = new List<PriceQuote>();
        while (poller.TryTake(out PriceQuote q))
        {
            quotes.Add(q);
        }
        return quotes;
    }

    [Fact]
    public void A_day_ahead_feed_is_asked_for_the_interval_in_force_and_each_one_within_the_horizon()
    {
        var feed = new FakeFeed(knowsDayAhead: true);
        (FeedPoller poller, _, _) = Create(feed, aheadHours: 3);
        Assert.Equal(long.MinValue, poller.NextPollUs); // the first poll is due at once

        poller.Poll(Now, nowUs: 1_000_000);
        Assert.Equal(1_200_000, poller.NextPollUs);
        Assert.Equal([Now, Now.Date.AddHours(11), Now.Date.AddHours(12), Now.Date.AddHours(13)], feed.Asked);
        Assert.True(poller.HasCompleted); // answered at once: taken in the same turn
        List<PriceQuote> quotes = TakeAll(poller);
        Assert.Equal([10.0, 11, 12, 13], quotes.Select(q => q.CtPerKwh));
        Assert.False(poller.HasCompleted);
        Assert.False(poller.IsPending);
    }

    [Fact]
    public void A_replay_that_has_run_out_of_the_market_window_is_not_polled_and_says_so_once()
    {
        var feed = new FakeFeed(knowsDayAhead: true);
        (FeedPoller poller, _, StringWriter log) = Create(feed, aheadHours: 3);
        poller.Poll(new DateTime(2100, 1, 1, 0, 0, 0), 0);
        poller.Poll(DateTime.MaxValue, 200_000);
        Assert.Empty(feed.Asked);
        Assert.False(poller.IsPending);
        Assert.True(poller.OutsideMarketWindow);
        Assert.Equal(400_000, poller.NextPollUs);
        Assert.Single(log.ToString().Split('\n'), l => l.Contains("outside the market window", StringComparison.Ordinal));
        poller.Poll(Now, 400_000);
        Assert.False(poller.OutsideMarketWindow);
        Assert.NotEmpty(feed.Asked);
    }

    [Fact]
    public void Quotes_shorter_or_longer_than_the_configured_interval_are_all_published_without_a_gap()
    {
        // Quarter-hour prices (an ENTSO-E PT15M reply) on a poller configured for hours: every quarter-hour up to the horizon.
        var quarter = TimeSpan.FromMinutes(15);
        var feed = new FakeFeed(knowsDayAhead: true)
        {
            Answer = t => new PriceQuote(new DateTime(t.Ticks - (t.Ticks % quarter.Ticks)), new DateTime(t.Ticks - (t.Ticks % quarter.Ticks)) + quarter, t.Minute),
        };
        (FeedPoller poller, _, _) = Create(feed, aheadHours: 1);
        poller.Poll(Now, 0);
        List<PriceQuote> quotes = TakeAll(poller);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => Now.Date.AddHours(10).AddMinutes(15 + (15 * i))), quotes.Select(q => q.IntervalStart));

        // Two-hour blocks on an hourly poller: each block once, not twice.
        var twoHours = TimeSpan.FromHours(2);
        var blocks = new FakeFeed(knowsDayAhead: true)
        {
            Answer = t => new PriceQuote(new DateTime(t.Ticks - (t.Ticks % twoHours.Ticks)), new DateTime(t.Ticks - (t.Ticks % twoHours.Ticks)) + twoHours, 1),
        };
        (poller, _, _) = Create(blocks, aheadHours: 5);
        poller.Poll(Now, 0);
        Assert.Equal([Now, Now.Date.AddHours(12), Now.Date.AddHours(14)], blocks.Asked);
    }

    [Fact]
    public void A_feed_without_a_day_ahead_is_asked_once_per_poll_and_gaps_yield_nothing()
    {
        var feed = new FakeFeed(knowsDayAhead: false) { Answer = _ => null };
        (FeedPoller poller, PriceValidator validator, _) = Create(feed, aheadHours: 24);
        poller.Poll(Now, 0);
        Assert.Equal([Now], feed.Asked);
        Assert.Empty(TakeAll(poller));
        Assert.Equal(0, validator.RejectedTotal); // no quote is not a failure: the feed counts its own rejections
    }

    [Fact]
    public void A_slow_poll_never_blocks_and_its_quote_is_taken_on_a_later_turn()
    {
        var feed = new FakeFeed(knowsDayAhead: false) { Slow = new TaskCompletionSource<PriceQuote?>(TaskCreationOptions.RunContinuationsAsynchronously) };
        (FeedPoller poller, _, _) = Create(feed);

        poller.Poll(Now, 0); // returns at once with the request under way
        Assert.True(poller.IsPending);
        Assert.False(poller.HasCompleted);
        Assert.False(poller.TryTake(out _));

        // Due again while the request runs: no second request, the next poll moves on.
        poller.Poll(Now.AddSeconds(1), 200_000);
        Assert.Single(feed.Asked);
        Assert.Equal(400_000, poller.NextPollUs);

        feed.Slow.SetResult(new PriceQuote(Now.Date.AddHours(10), Now.Date.AddHours(11), 42));
        Assert.True(SpinWait.SpinUntil(() => poller.HasCompleted, TimeSpan.FromSeconds(10)));
        Assert.True(poller.TryTake(out PriceQuote quote));
        Assert.Equal(42, quote.CtPerKwh);
        Assert.False(poller.IsPending);
        Assert.False(poller.TryTake(out _));

        // The next poll starts a new request.
        feed.Slow = null;
        poller.Poll(Now.AddSeconds(2), 400_000);
        Assert.Equal(2, feed.Asked.Count);
        Assert.Single(TakeAll(poller));
    }

    [Fact]
    public void A_failed_poll_is_counted_as_unavailable_and_logged()
    {
        var feed = new FakeFeed(knowsDayAhead: false) { Slow = new TaskCompletionSource<PriceQuote?>() };
        (FeedPoller poller, PriceValidator validator, StringWriter log) = Create(feed);
        poller.Poll(Now, 0);
        feed.Slow.SetException(new HttpRequestException("connection refused"));
        Assert.True(SpinWait.SpinUntil(() => poller.HasCompleted, TimeSpan.FromSeconds(10)));

        Assert.False(poller.TryTake(out _));
        Assert.False(poller.IsPending);
        Assert.Equal(1, validator.Rejected(PriceRejection.Unavailable));
        Assert.Contains("price feed poll failed: connection refused", log.ToString(), StringComparison.Ordinal);
    }
}
