namespace EdgeGovernor.Firmware.Feeds;

/// <summary>Checks prices against the configured bounds and counts rejections by reason (thread-safe).</summary>
internal sealed class PriceValidator
{
    private readonly long[] _rejected = new long[Enum.GetValues<PriceRejection>().Length];
    private long _accepted;

    /// <summary>Creates a validator accepting prices in [<paramref name="minCtPerKwh"/>, <paramref name="maxCtPerKwh"/>].</summary>
    public PriceValidator(double minCtPerKwh, double maxCtPerKwh)
    {
        if (!(minCtPerKwh < maxCtPerKwh))
        {
            throw new ArgumentException("the minimum price must be below the maximum", nameof(minCtPerKwh));
        }
        MinCtPerKwh = minCtPerKwh;
        MaxCtPerKwh = maxCtPerKwh;
    }

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
        else
        {
            Interlocked.Increment(ref _accepted);
            reason = default;
            return true;
        }
        Count(reason);
        return false;
    }

    /// <summary>Counts a rejection found outside <see cref="TryAccept"/> (parse errors, outages).</summary>
    public void Count(PriceRejection reason) => Interlocked.Increment(ref _rejected[(int)reason]);
}
