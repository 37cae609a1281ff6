using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Polls a price feed every <c>priceFeed.pollSeconds</c> without ever waiting for it. <see cref="Poll"/> starts a
/// poll when none is under way; a feed that answers at once (a replayed file, the synthetic profile) has its quotes
/// ready in the same call, a slow one (HTTP) completes on a thread-pool thread and its quote is taken by a later
/// <see cref="TryTake"/>, on a later turn of the caller's loop. A feed that <see cref="IPriceFeed.KnowsDayAhead"/>
/// is asked for the interval in force and every interval that starts within <c>publishAheadHours</c>. A poll
/// that fails is counted as <see cref="PriceRejection.Unavailable"/> and logged. Used on one thread (the agent loop).
/// </summary>
public sealed class FeedPoller
{
    private readonly IPriceFeed _feed;
    private readonly long _periodUs;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _publishAhead;
    private readonly PriceValidator _validator;
    private readonly Logger _log;
    private readonly Queue<PriceQuote> _ready = new();
    private Task? _pending;

    /// <summary>Creates a poller of <paramref name="feed"/>.</summary>
    /// <param name="feed">The feed.</param>
    /// <param name="periodUs">Microseconds from the start of one poll to the next.</param>
    /// <param name="interval">Length of a price interval (the step of the day-ahead lookups).</param>
    /// <param name="publishAhead">How far ahead of market time a day-ahead feed is asked.</param>
    /// <param name="validator">Counts failed polls.</param>
    /// <param name="log">Log.</param>
    public FeedPoller(IPriceFeed feed, long periodUs, TimeSpan interval, TimeSpan publishAhead, PriceValidator validator, Logger log)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _feed = feed;
        _periodUs = periodUs;
        _interval = interval;
        _publishAhead = publishAhead;
        _validator = validator;
        _log = log;
    }

    /// <summary>When the next poll is due (monotonic microseconds; the first one is due at once).</summary>
    public long NextPollUs { get; private set; } = long.MinValue;

    /// <summary>True while a started poll has not completed.</summary>
    public bool IsPending => _pending is not null;

    /// <summary>True when a started poll has completed and its quotes wait for <see cref="TryTake"/>.</summary>
    public bool HasCompleted => _pending is null ? _ready.Count > 0 : _pending.IsCompleted;

    /// <summary>
    /// Starts a poll at market time <paramref name="marketNow"/> unless one is still under way, and schedules the next
    /// one <c>periodUs</c> after <paramref name="nowUs"/> either way.
    /// </summary>
    public void Poll(DateTime marketNow, long nowUs)
    {
        NextPollUs = nowUs + _periodUs;
        if (_pending is null)
        {
            _pending = Collect(marketNow);
        }
    }

    /// <summary>The next quote of a completed poll, oldest first; false while the poll runs or when nothing is left.</summary>
    public bool TryTake(out PriceQuote quote)
    {
        if (_pending is { IsCompleted: true } done)
        {
            _pending = null;
            if (!done.IsCompletedSuccessfully)
            {
                _validator.Count(PriceRejection.Unavailable);
                _log.Warning($"price feed poll failed: {done.Exception?.GetBaseException().Message}");
            }
        }
        if (_pending is null && _ready.TryDequeue(out quote))
        {
            return true;
        }
        quote = default;
        return false;
    }

    // Runs on the caller's thread until the feed first yields; the queue is read only once the task has completed.
    private async Task Collect(DateTime marketNow)
    {
        Keep(await _feed.PollAsync(marketNow, CancellationToken.None).ConfigureAwait(false));
        if (!_feed.KnowsDayAhead)
        {
            return;
        }
        DateTime horizon = marketNow + _publishAhead;
        DateTime start = new(marketNow.Ticks - (marketNow.Ticks % _interval.Ticks), marketNow.Kind);
        for (DateTime next = start + _interval; next <= horizon; next += _interval)
        {
            Keep(await _feed.PollAsync(next, CancellationToken.None).ConfigureAwait(false));
        }
    }

    private void Keep(PriceQuote? quote)
    {
        if (quote is PriceQuote q)
        {
            _ready.Enqueue(q);
        }
    }
}
