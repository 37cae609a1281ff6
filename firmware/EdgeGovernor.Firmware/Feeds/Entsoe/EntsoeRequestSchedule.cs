using System.Globalization;
using EdgeGovernor.Protocol;

namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// When the ENTSO-E feed sends a request and for which delivery day. Sans-IO: the caller passes UTC time and the
/// randomness, and reports each outcome.
/// <list type="bullet">
/// <item>Today's prices (the delivery day of the market's time zone in force now) are asked for as soon as they are
/// missing, e.g. at start.</item>
/// <item>Tomorrow's prices are asked for from the publication time (about 12:45 Europe/Brussels) until they arrive.</item>
/// <item>A no-data acknowledgement or an error delays the next request exponentially, from the initial retry delay
/// doubling to the maximum, each delay drawn uniformly from its upper half (jitter, so a cluster's restarts do not
/// poll in step); a server's Retry-After is honoured up to the maximum.</item>
/// <item>Two requests are never closer than the minimum spacing (5 s by default: at most 12 a minute, the
/// platform allows 400 a minute per user). With both days held no request is sent until the next publication time:
/// in steady state two or three requests a day.</item>
/// </list>
/// </summary>
internal sealed class EntsoeRequestSchedule
{
    /// <summary>The Transparency Platform's request limit per user and minute.</summary>
    public const int PlatformLimitPerMinute = 400;

    private readonly TimeZoneInfo _zone;
    private readonly TimeOnly _publication;
    private readonly TimeSpan _retryInitial;
    private readonly TimeSpan _retryMax;
    private readonly TimeSpan _spacing;
    private readonly IRandomSource _random;
    private readonly HashSet<DateOnly> _held = [];
    private DateTime _notBeforeUtc = DateTime.MinValue;

    /// <summary>Creates a schedule.</summary>
    public EntsoeRequestSchedule(TimeZoneInfo zone, TimeOnly publication, TimeSpan retryInitial, TimeSpan retryMax, TimeSpan spacing, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryInitial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryMax, retryInitial);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spacing, TimeSpan.Zero);
        _zone = zone;
        _publication = publication;
        _retryInitial = retryInitial;
        _retryMax = retryMax;
        _spacing = spacing;
        _random = random;
    }

    /// <summary>Failed or empty requests in a row (reset by prices).</summary>
    public int Failures { get; private set; }

    /// <summary>Earliest time (UTC) of the next request.</summary>
    public DateTime NotBeforeUtc => _notBeforeUtc;

    /// <summary>The delivery day (market time zone) that <paramref name="utc"/> lies in.</summary>
    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone));

    /// <summary>The UTC span of delivery day <paramref name="day"/>: 23, 24 or 25 hours (92, 96 or 100 quarter-hours).</summary>
    public (DateTime StartUtc, DateTime EndUtc) Span(DateOnly day) =>
        (TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), _zone),
         TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), _zone));

    /// <summary>True (and the day) when a request is due at <paramref name="utc"/>.</summary>
    public bool TryNext(DateTime utc, out DateOnly day)
    {
        DateOnly today = DayOf(utc);
        day = today;
        _held.RemoveWhere(d => d < today);
        if (utc < _notBeforeUtc)
        {
            return false;
        }
        if (!_held.Contains(day))
        {
            return true;
        }
        DateTime local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);
        day = day.AddDays(1);
        return TimeOnly.FromDateTime(local) >= _publication && !_held.Contains(day);
    }

    /// <summary>A request was sent at <paramref name="utc"/>: the next one waits at least the minimum spacing.</summary>
    public void Sent(DateTime utc) => _notBeforeUtc = Max(_notBeforeUtc, utc + _spacing);

    /// <summary>The prices of <paramref name="day"/> arrived whole.</summary>
    public void Received(DateOnly day)
    {
        _held.Add(day);
        Failures = 0;
    }

    /// <summary>True when the prices of <paramref name="day"/> are held.</summary>
    public bool Holds(DateOnly day) => _held.Contains(day);

    /// <summary>
    /// The request at <paramref name="utc"/> brought no prices (acknowledgement, error, timeout): the next waits the
    /// backoff, or <paramref name="retryAfter"/> when the server asked for longer (capped at the maximum). Returns the delay.
    /// </summary>
    public TimeSpan Failed(DateTime utc, TimeSpan? retryAfter = null)
    {
        Failures = Math.Min(Failures + 1, 30);
        double ceiling = Math.Min(_retryMax.TotalSeconds, _retryInitial.TotalSeconds * Math.Pow(2, Failures - 1));
        double seconds = ceiling * (0.5 + (0.5 * _random.NextDouble()));
        if (retryAfter is TimeSpan asked && asked.TotalSeconds > seconds)
        {
            seconds = Math.Min(asked.TotalSeconds, _retryMax.TotalSeconds);
        }
        TimeSpan delay = TimeSpan.FromSeconds(Math.Max(seconds, _spacing.TotalSeconds));
        _notBeforeUtc = Max(_notBeforeUtc, utc + delay);
        return delay;
    }

    private static DateTime Max(DateTime a, DateTime b) => a >= b ? a : b;

    /// <summary>Parses <c>HH:mm</c>.</summary>
    public static bool TryParseTimeOfDay(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Finds an IANA zone in the system's tzdata.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
