namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Checks feed records against the configured price bounds and two plausibility windows for their interval, and counts
/// rejections by reason (thread-safe). Every interval must lie in the market window <see cref="EarliestMarketTime"/> ..
/// <see cref="LatestMarketTime"/> (a replayed file's rows included); a live feed's interval must also start within
/// <see cref="PlausiblePast"/> before and <see cref="PlausibleAhead"/> after the time of the poll
/// (<c>priceFeed.plausiblePastHours</c>, <c>priceFeed.plausibleAheadHours</c>).
/// </summary>
internal sealed class PriceValidator
{
    /// <summary>Earliest market time of any price interval (day-ahead markets start about then).</summary>
    public static readonly DateTime EarliestMarketTime = new(2000, 1, 1);

    /// <summary>Latest market time of any price interval (exclusive); a replay whose market time passes it has ended.</summary>
    public static readonly DateTime LatestMarketTime = new(2100, 1, 1);

    private readonly long[] _rejected = new long[Enum.GetValues<PriceRejection>().Length];
    private long _accepted;

    /// <summary>
    /// Creates a validator accepting prices in [<paramref name="minCtPerKwh"/>, <paramref name="maxCtPerKwh"/>] and live
    /// intervals starting from <paramref name="plausiblePastHours"/> before to <paramref name="plausibleAheadHours"/> after
    /// the poll (defaults: 2 days, 8 days).
    /// </summary>
    public PriceValidator(double minCtPerKwh, double maxCtPerKwh, double plausiblePastHours = 48, double plausibleAheadHours = 192)
    {
        if (!(minCtPerKwh < maxCtPerKwh))
        {
            throw new ArgumentException("the minimum price must be below the maximum", nameof(minCtPerKwh));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(plausiblePastHours);
        ArgumentOutOfRangeException.ThrowIfNegative(plausibleAheadHours);
        MinCtPerKwh = minCtPerKwh;
        MaxCtPerKwh = maxCtPerKwh;
        PlausiblePast = TimeSpan.FromHours(plausiblePastHours);
        PlausibleAhead = TimeSpan.FromHours(plausibleAheadHours);
    }

    /// <summary>How long before the poll a live feed's interval may start.</summary>
    public TimeSpan PlausiblePast { get; }

    /// <summary>How long after the poll a live feed's interval may start.</summary>
    public TimeSpan PlausibleAhead { get; }

    /// <summary>True when <paramref name="market"/> lies in the market window (from 2000-01-01, before 2100-01-01).</summary>
    public static bool InMarketWindow(DateTime market) => market >= EarliestMarketTime && market < LatestMarketTime;

    /// <summary>Lowest accepted price.</summary>
    public double MinCtPerKwh { get; }

    /// <summary>Highest accepted price.</summary>
    public double MaxCtPerKwh { get; }

    /// <summary>Records accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Records rejected for <paramref name="reason"/> so far.</summary>
    public long Rejected(PriceRejection reason) => Interlocked.Read(ref _rejected[(int)reason]);

    /// <summary>All rejections.</summary>
    public long RejectedTotal
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _rejected.Length; i++)
            {
                sum += Interlocked.Read(ref _rejected[i]);
            }
            return sum;
        }
    }

    /// <summary>Checks a quote; counts it as accepted or rejected.</summary>
    public bool TryAccept(in PriceQuote quote, out PriceRejection reason)
    {
        if (!double.IsFinite(quote.CtPerKwh))
        {
            reason = PriceRejection.NotFinite;
        }
        else if (quote.CtPerKwh < MinCtPerKwh)
        {
            reason = PriceRejection.BelowMinimum;
        }
        else if (quote.CtPerKwh > MaxCtPerKwh)
        {
            reason = PriceRejection.AboveMaximum;
        }
        else if (quote.IntervalEnd <= quote.IntervalStart || quote.IntervalEnd - quote.IntervalStart > TimeSpan.FromDays(1))
        {
            reason = PriceRejection.BadInterval;
        }
        else if (!InMarketWindow(quote.IntervalStart) || quote.IntervalEnd > LatestMarketTime)
        {
            reason = PriceRejection.Implausible;
        }
        else
        {
            Interlocked.Increment(ref _accepted);
            reason = default;
            return true;
        }
        Count(reason);
        return false;
    }

    /// <summary>
    /// <see cref="TryAccept"/> for a live feed polled at market time <paramref name="marketNow"/>: the interval must also
    /// start within <see cref="PlausiblePast"/> before and <see cref="PlausibleAhead"/> after it.
    /// </summary>
    public bool TryAcceptAt(in PriceQuote quote, DateTime marketNow, out PriceRejection reason)
    {
        TimeSpan offset = quote.IntervalStart - marketNow;
        if (offset < -PlausiblePast || offset > PlausibleAhead)
        {
            reason = PriceRejection.Implausible;
            Count(reason);
            return false;
        }
        return TryAccept(quote, out reason);
    }

    /// <summary>Counts a rejection found outside <see cref="TryAccept"/> (parse errors, outages).</summary>
    public void Count(PriceRejection reason) => Interlocked.Increment(ref _rejected[(int)reason]);
}
