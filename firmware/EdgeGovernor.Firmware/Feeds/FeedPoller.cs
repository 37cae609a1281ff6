using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Polls a price feed every <c>priceFeed.pollSeconds</c> without ever waiting for it. <see cref="Poll"/> starts a
/// poll when none is under way; a feed that answers at once (a replayed file, the synthetic profile) has its quotes
/// ready in the same call, a slow one (HTTP) completes on a thread-pool thread and its quote is taken by a later
/// <see cref="TryTake"/>, on a later turn of the caller's loop. A feed that <see cref="IPriceFeed.KnowsDayAhead"/>
/// is asked for the interval in force and every interval that starts within <c>publishAheadHours</c>, each from the end of the quote before (intervals of any length). A poll
/// that fails is counted as <see cref="PriceRejection.Unavailable"/> and logged. A poll has one deadline for all of
/// it (<see cref="PriceFeedFactory.PollTimeout"/>; for HTTP headers and body): its token is cancelled then, and a poll still running at
/// <see cref="Expire"/> past it, or one that ended in a <see cref="TimeoutException"/>, is abandoned (counted in
/// <see cref="Abandoned"/>, one log line); the next poll starts on schedule. No poll starts while market time is outside
/// the market window (<see cref="PriceValidator.InMarketWindow"/>: an accelerated replay that has run out; one log line).
/// Used on one thread (the agent loop).
/// </summary>
internal sealed class FeedPoller
{
    private readonly IPriceFeed _feed;
    private readonly long _periodUs;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _publishAhead;
    private readonly PriceValidator _validator;
    private readonly Logger _log;
    private readonly long _timeoutUs;
    private readonly Queue<PriceQuote> _ready = new();
    private Task<List<PriceQuote>>? _pending;
    private CancellationTokenSource? _cancel;
    private long _deadlineUs = long.MaxValue;

    /// <summary>Creates a poller of <paramref name="feed"/>.</summary>
    /// <param name="feed">The feed.</param>
    /// <param name="periodUs">Microseconds from the start of one poll to the next.</param>
    /// <param name="interval">Length of a price interval (the step of the day-ahead lookups).</param>
    /// <param name="publishAhead">How far ahead of market time a day-ahead feed is asked.</param>
    /// <param name="validator">Counts failed polls.</param>
    /// <param name="log">Log.</param>
    /// <param name="timeoutUs">Deadline of a whole poll, microseconds (<see cref="PriceFeedFactory.PollTimeout"/>).</param>
    public FeedPoller(IPriceFeed feed, long periodUs, TimeSpan interval, TimeSpan publishAhead, PriceValidator validator, Logger log, long timeoutUs = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeoutUs, 0);
        _timeoutUs = timeoutUs;
        _feed = feed;
        _periodUs = periodUs;
        _interval = interval;
        _publishAhead = publishAhead;
        _validator = validator;
        _log = log;
    }

    /// <summary>When the next poll is due (monotonic microseconds; the first one is due at once).</summary>
    public long NextPollUs { get; private set; } = long.MinValue;

    /// <summary>Polls abandoned at their deadline (<c>edgegov_feed_polls_abandoned_total</c>).</summary>
    public long Abandoned { get; private set; }

    /// <summary>When the running poll's deadline passes (monotonic microseconds; <see cref="long.MaxValue"/> when none runs).</summary>
    public long DeadlineUs => _pending is null ? long.MaxValue : _deadlineUs;

    /// <summary>True when the last <see cref="Poll"/> found market time outside the market window and polled nothing.</summary>
    public bool OutsideMarketWindow { get; private set; }

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
        if (!PriceValidator.InMarketWindow(marketNow))
        {
            if (!OutsideMarketWindow)
            {
                OutsideMarketWindow = true;
                _log.Warning($"price feed not polled: market time {marketNow:yyyy-MM-dd HH:mm} is outside the market window " +
                    $"{PriceValidator.EarliestMarketTime:yyyy-MM-dd} .. {PriceValidator.LatestMarketTime:yyyy-MM-dd} (the replay has run out); no new prices, the safe policy holds");
            }
            return;
        }
        OutsideMarketWindow = false;
        if (_pending is null)
        {
            _cancel = new CancellationTokenSource();
            _deadlineUs = _timeoutUs == long.MaxValue || nowUs > long.MaxValue - _timeoutUs ? long.MaxValue : nowUs + _timeoutUs;
            if (_timeoutUs != long.MaxValue)
            {
                _cancel.CancelAfter(TimeSpan.FromMicroseconds(_timeoutUs));
            }
            _pending = Collect(marketNow, _cancel.Token);
        }
    }

    /// <summary>Abandons the running poll when its deadline has passed at <paramref name="nowUs"/>; true when it did.</summary>
    public bool Expire(long nowUs)
    {
        if (_pending is null || _pending.IsCompleted || nowUs < _deadlineUs)
        {
            return false;
        }
        Abandon();
        return true;
    }

    private void Abandon()
    {
        _cancel?.Cancel();
        _cancel?.Dispose();
        _cancel = null;
        _pending = null; // whatever the task still produces goes into its own list, never read
        Abandoned++;
        _log.Warning($"price feed poll abandoned: no complete answer within {_timeoutUs / 1000} ms ({Abandoned} abandoned so far)");
    }

    /// <summary>The next quote of a completed poll, oldest first; false while the poll runs or when nothing is left.</summary>
    public bool TryTake(out PriceQuote quote)
    {
        if (_pending is { IsCompleted: true } done)
        {
            if (done.IsCanceled || done.Exception?.GetBaseException() is TimeoutException or OperationCanceledException)
            {
                Abandon();
            }
            else
            {
                _pending = null;
                _cancel?.Dispose();
                _cancel = null;
                if (done.IsCompletedSuccessfully)
                {
                    foreach (PriceQuote q in done.Result)
                    {
                        _ready.Enqueue(q);
                    }
                }
                else
                {
                    _validator.Count(PriceRejection.Unavailable);
                    _log.Warning($"price feed poll failed: {done.Exception?.GetBaseException().Message}");
                }
            }
        }
        if (_pending is null && _ready.TryDequeue(out quote))
        {
            return true;
        }
        quote = default;
        return false;
    }

    // Runs on the caller's thread until the feed first yields; its list is read only once the task has completed (an
    // abandoned poll's list is never read).
    private async Task<List<PriceQuote>> Collect(DateTime marketNow, CancellationToken cancellationToken)
    {
        var quotes = new List<PriceQuote>();
        Keep(quotes, await _feed.PollAsync(marketNow, cancellationToken).ConfigureAwait(false));
        if (!_feed.KnowsDayAhead)
        {
            return quotes;
        }
        // Interval by interval up to the horizon: from the end of each quote the feed gave (its intervals may be longer or
        // shorter than priceFeed.intervalSeconds, e.g. an ENTSO-E reply of another resolution), one interval on over a gap.
        DateTime horizon = marketNow + _publishAhead;
        DateTime next = new DateTime(marketNow.Ticks - (marketNow.Ticks % _interval.Ticks), marketNow.Kind) + _interval;
        if (quotes.Count > 0 && quotes[0].IntervalEnd > marketNow)
        {
            next = quotes[0].IntervalEnd;
        }
        while (next <= horizon)
        {
            PriceQuote? quote = await _feed.LookAheadAsync(next, cancellationToken).ConfigureAwait(false);
            Keep(quotes, quote);
            next = quote is PriceQuote q && q.IntervalEnd > next ? q.IntervalEnd : next + _interval;
        }
        return quotes;
    }

    private static void Keep(List<PriceQuote> quotes, PriceQuote? quote)
    {
        if (quote is PriceQuote q)
        {
            quotes.Add(q);
        }
    }
}
