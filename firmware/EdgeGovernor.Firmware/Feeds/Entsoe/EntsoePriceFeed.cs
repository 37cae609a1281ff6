using System.Globalization;
using System.Net;
using System.Text;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;

namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// Day-ahead prices from the ENTSO-E Transparency Platform (<c>priceFeed.kind: "entsoe"</c>). A poll first sends the
/// request <see cref="EntsoeRequestSchedule"/> says is due, if any (<c>GET {baseUrl}?documentType=A44&amp;in_Domain=
/// {eic}&amp;out_Domain={eic}&amp;periodStart=yyyyMMddHHmm&amp;periodEnd=yyyyMMddHHmm&amp;securityToken=…</c>, the
/// delivery day in UTC), then answers from the intervals it holds. A reply is decoded by <see cref="EntsoeParser"/>:
/// prices for a day that they cover whole (92, 96 or 100 quarter-hours, 23 to 25 hours), at the configured interval
/// when the reply has that resolution and else at its finest, are kept; a no-data acknowledgement or an error
/// (HTTP status, timeout, a reply that does not cover the day) holds no price and backs off. One deadline covers the
/// whole response (headers and body) and the body is bounded. The token is never logged: log lines name the zone and
/// the day. Market time is UTC; interval times are UTC instants.
/// </summary>
internal sealed class EntsoePriceFeed : IPriceFeed
{
    /// <summary>Largest reply body read, bytes (two days of quarter-hours are about 40 KB).</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly EntsoeConfig _config;
    private readonly TimeSpan _preferred;
    private readonly TimeSpan _timeout;
    private readonly EntsoeRequestSchedule _schedule;
    private readonly EntsoeParseOptions _parse = new() { MaxCharacters = MaxBodyBytes };
    private readonly PriceValidator _validator;
    private readonly Logger _log;
    private readonly SortedList<long, PriceQuote> _quotes = [];
    private readonly Lock _lock = new();
    private bool _inFlight;

    /// <summary>Creates the feed of <paramref name="config"/> (validated, token read).</summary>
    /// <param name="config">The <c>priceFeed.entsoe</c> settings.</param>
    /// <param name="preferred">The configured interval: kept when a reply has this resolution.</param>
    /// <param name="validator">Bounds and counters.</param>
    /// <param name="log">Log.</param>
    /// <param name="random">Jitter of the retry delays.</param>
    /// <param name="handler">HTTP handler (tests); a direct, non-redirecting one by default.</param>
    public EntsoePriceFeed(EntsoeConfig config, TimeSpan preferred, PriceValidator validator, Logger log, IRandomSource random, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!EntsoeRequestSchedule.TryFindZone(config.TimeZone, out TimeZoneInfo zone) || !EntsoeRequestSchedule.TryParseTimeOfDay(config.PublicationTime, out TimeOnly publication))
        {
            throw new ArgumentException($"priceFeed.entsoe: time zone '{config.TimeZone}' or publication time '{config.PublicationTime}' is not usable", nameof(config));
        }
        _config = config;
        _preferred = preferred;
        _timeout = TimeSpan.FromSeconds(config.RequestTimeoutSeconds);
        _schedule = new EntsoeRequestSchedule(zone, publication, TimeSpan.FromSeconds(config.RetryInitialSeconds), TimeSpan.FromSeconds(config.RetryMaxSeconds),
            TimeSpan.FromSeconds(config.MinRequestSpacingSeconds), random);
        _validator = validator;
        _log = log;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public string Name => "entsoe";

    /// <inheritdoc/>
    public bool KnowsDayAhead => true;

    /// <inheritdoc/>
    public ushort SourceId => 4;

    /// <summary>Requests sent so far.</summary>
    public int Requests { get; private set; }

    /// <summary>The request schedule (state of the backoff, days held).</summary>
    public EntsoeRequestSchedule Schedule => _schedule;

    /// <summary>The URL of the request for delivery day <paramref name="day"/> (holds the token: never log it).</summary>
    public Uri RequestUri(DateOnly day)
    {
        (DateTime start, DateTime end) = _schedule.Span(day);
        string zone = Uri.EscapeDataString(_config.BiddingZone);
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{_config.BaseUrl}?documentType=A44&in_Domain={zone}&out_Domain={zone}&periodStart={start:yyyyMMddHHmm}&periodEnd={end:yyyyMMddHHmm}&securityToken={Uri.EscapeDataString(_config.Token)}"));
    }

    /// <inheritdoc/>
    public ValueTask<PriceQuote?> LookAheadAsync(DateTime marketTime, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(At(marketTime)); // no request: the schedule runs on the poll's own time
        }
    }

    /// <inheritdoc/>
    public async ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken)
    {
        DateOnly day;
        lock (_lock)
        {
            if (_inFlight || !_schedule.TryNext(marketNow, out day))
            {
                return At(marketNow);
            }
            _inFlight = true;
            _schedule.Sent(marketNow);
            Requests++;
        }
        try
        {
            await FetchAsync(day, marketNow, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight = false;
            }
        }
        lock (_lock)
        {
            return At(marketNow);
        }
    }

    private async Task FetchAsync(DateOnly day, DateTime marketNow, CancellationToken cancellationToken)
    {
        string what = string.Create(CultureInfo.InvariantCulture, $"ENTSO-E {_config.BiddingZone} day {day:yyyy-MM-dd}");
        string body;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(RequestUri(day), HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is not (200 or 400))
            {
                TimeSpan? retryAfter = RetryAfter(response, DateTimeOffset.UtcNow);
                Fail(marketNow, what, $"HTTP {status}{(response.StatusCode == HttpStatusCode.Unauthorized ? " (is the security token valid?)" : "")}", retryAfter);
                return;
            }
            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                Fail(marketNow, what, $"the reply is larger than {MaxBodyBytes} bytes", null, PriceRejection.Malformed);
                return;
            }
            body = new UTF8Encoding(false, true).GetString(await HttpBody.ReadLimitedAsync(response.Content, MaxBodyBytes, deadline.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail(marketNow, what, "the poll was abandoned", null);
            throw;
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException)
        {
            Fail(marketNow, what, $"no complete reply within {_timeout.TotalSeconds:0} s", null);
            throw new TimeoutException($"{what}: no complete reply within {_timeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or DecoderFallbackException)
        {
            Fail(marketNow, what, e.Message, null, e is InvalidDataException or DecoderFallbackException ? PriceRejection.Malformed : PriceRejection.Unavailable);
            return;
        }
        Accept(body, day, marketNow, what);
    }

    /// <summary>Takes a reply body for delivery day <paramref name="day"/> (the I/O-free half of a poll; tests call it directly).</summary>
    internal void Accept(string body, DateOnly day, DateTime marketNow, string what)
    {
        if (!EntsoeParser.TryParse(body, _parse, out EntsoeDocument document, out string error))
        {
            Fail(marketNow, what, "reply refused: " + error, null, PriceRejection.Malformed);
            return;
        }
        if (document.IsAcknowledgement)
        {
            TimeSpan delay;
            lock (_lock)
            {
                delay = _schedule.Failed(marketNow);
            }
            _log.Info($"{what}: no prices yet (acknowledgement {document.ReasonCode} '{document.ReasonText}'); asking again in {delay.TotalSeconds:0} s");
            return;
        }
        foreach (EntsoePeriod period in document.Periods)
        {
            // A Period is one or more whole delivery days: 92 quarter-hours fit the day the clocks go forward, 100 the
            // day they go back, and nothing else.
            DateTime first = period.StartUtc.UtcDateTime, last = period.EndUtc.UtcDateTime;
            if (_schedule.Span(_schedule.DayOf(first)).StartUtc != first || _schedule.Span(_schedule.DayOf(last.AddTicks(-1))).EndUtc != last)
            {
                Fail(marketNow, what, string.Create(CultureInfo.InvariantCulture,
                    $"reply refused: the Period {first:yyyy-MM-ddTHH:mmZ}..{last:yyyy-MM-ddTHH:mmZ} ({period.Prices.Length} x {period.Resolution.TotalMinutes:0} min) is not whole delivery days of {_config.TimeZone}"),
                    null, PriceRejection.Malformed);
                return;
            }
        }
        (DateTime dayStart, DateTime dayEnd) = _schedule.Span(day);
        if (!TryPick(document, dayStart, dayEnd, out List<(DateTimeOffset Start, DateTimeOffset End, double Price)> intervals, out error))
        {
            Fail(marketNow, what, "reply refused: " + error, null, PriceRejection.Malformed);
            return;
        }
        var accepted = new List<PriceQuote>(intervals.Count);
        foreach ((DateTimeOffset start, DateTimeOffset end, double price) in intervals)
        {
            var quote = new PriceQuote(DateTime.SpecifyKind(start.UtcDateTime, marketNow.Kind), DateTime.SpecifyKind(end.UtcDateTime, marketNow.Kind), price * 0.1);
            if (!_validator.TryAccept(quote, out PriceRejection reason))
            {
                // A day with a price outside thresholds is refused whole, as the parser refuses a partial day.
                Fail(marketNow, what, $"reply refused: {quote}: {CsvPriceFeed.Describe(reason, quote.CtPerKwh, _validator)}", null, null);
                return;
            }
            accepted.Add(quote);
        }
        lock (_lock)
        {
            foreach (PriceQuote q in accepted)
            {
                _quotes[q.IntervalStart.Ticks] = q;
            }
            // Every delivery day the reply covers whole is held (one reply may hold two days).
            for (DateOnly d = _schedule.DayOf(intervals[0].Start.UtcDateTime); ; d = d.AddDays(1))
            {
                (DateTime s, DateTime e) = _schedule.Span(d);
                if (s >= intervals[^1].End.UtcDateTime)
                {
                    break;
                }
                if (Covers(intervals, s, e))
                {
                    _schedule.Received(d);
                }
            }
            Prune(marketNow);
        }
        _log.Info(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {accepted.Count} prices of {(intervals[0].End - intervals[0].Start).TotalMinutes:0} minutes from {intervals[0].Start:yyyy-MM-ddTHH:mmZ} to {intervals[^1].End:yyyy-MM-ddTHH:mmZ}"));
    }

    // The intervals to keep: those of the preferred resolution when they cover the requested day, else of the finest
    // resolution that does. Each delivery day of 23, 24 or 25 hours is whole intervals of any supported resolution.
    private bool TryPick(EntsoeDocument document, DateTime dayStart, DateTime dayEnd, out List<(DateTimeOffset Start, DateTimeOffset End, double Price)> intervals, out string error)
    {
        IEnumerable<TimeSpan> order = document.Resolutions.Contains(_preferred) ? [_preferred, .. document.Resolutions] : document.Resolutions;
        foreach (TimeSpan resolution in order)
        {
            if (!document.TryGetIntervals(resolution, out intervals, out string? conflict))
            {
                error = conflict!;
                return false;
            }
            if (Covers(intervals, dayStart, dayEnd))
            {
                error = "";
                return true;
            }
        }
        intervals = [];
        error = string.Create(CultureInfo.InvariantCulture,
            $"no resolution covers the delivery day {dayStart:yyyy-MM-ddTHH:mmZ}..{dayEnd:yyyy-MM-ddTHH:mmZ} ({(dayEnd - dayStart).TotalHours:0} hours) without a gap");
        return false;
    }

    // True when the intervals (sorted, one resolution) cover [start, end) without a gap.
    private static bool Covers(List<(DateTimeOffset Start, DateTimeOffset End, double Price)> intervals, DateTime start, DateTime end)
    {
        DateTime reached = start;
        foreach ((DateTimeOffset s, DateTimeOffset e, _) in intervals)
        {
            DateTime from = s.UtcDateTime, to = e.UtcDateTime;
            if (to <= reached)
            {
                continue;
            }
            if (from > reached)
            {
                return false;
            }
            reached = to;
            if (reached >= end)
            {
                return true;
            }
        }
        return reached >= end;
    }

    private void Fail(DateTime marketNow, string what, string problem, TimeSpan? retryAfter, PriceRejection? counted = PriceRejection.Unavailable)
    {
        TimeSpan delay;
        lock (_lock)
        {
            delay = _schedule.Failed(marketNow, retryAfter);
        }
        if (counted is PriceRejection reason)
        {
            _validator.Count(reason);
        }
        _log.Warning($"{what}: {problem}; asking again in {delay.TotalSeconds:0} s");
    }

    /// <summary>The delay a 429 or 5xx reply asks for (Retry-After as seconds or a date), or null.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }
        TimeSpan? delay = header.Delta ?? (header.Date is DateTimeOffset date ? date - now : null);
        return delay is TimeSpan d && d > TimeSpan.Zero ? d : null;
    }

    // The quote covering t, or null. Called under the lock.
    private PriceQuote? At(DateTime t)
    {
        IList<long> keys = _quotes.Keys;
        int lo = 0, hi = keys.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] <= t.Ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (hi < 0)
        {
            return null;
        }
        PriceQuote q = _quotes.Values[hi];
        return q.Covers(t) ? q : null;
    }

    // Forgets intervals that ended more than two days before now (the feed holds about three days).
    private void Prune(DateTime now)
    {
        long cutoff = (now - TimeSpan.FromDays(2)).Ticks;
        while (_quotes.Count > 0 && _quotes.Values[0].IntervalEnd.Ticks < cutoff)
        {
            _quotes.RemoveAt(0);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
