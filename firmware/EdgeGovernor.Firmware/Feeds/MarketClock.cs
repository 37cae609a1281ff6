namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Market time: the wall clock seen through an optional acceleration, so that a replayed day can
/// pass in a minute. <c>market = start + (unixNow - epoch) * acceleration</c>; every node given the
/// same start, epoch and acceleration agrees on market time to within its clock's error.
/// </summary>
internal sealed class MarketClock
{
    private readonly Func<long> _unixMs;

    /// <summary>Creates a clock.</summary>
    /// <param name="start">Market time at <paramref name="epochUnixMs"/>.</param>
    /// <param name="epochUnixMs">Wall time (Unix milliseconds) at which the market clock reads <paramref name="start"/>.</param>
    /// <param name="acceleration">Market seconds per wall second (1 = real time).</param>
    /// <param name="unixMs">Wall clock (Unix milliseconds); injected for tests.</param>
    public MarketClock(DateTime start, long epochUnixMs, double acceleration, Func<long>? unixMs = null)
    {
        if (!(acceleration > 0) || !double.IsFinite(acceleration))
        {
            throw new ArgumentOutOfRangeException(nameof(acceleration), acceleration, "acceleration must be a positive finite number");
        }
        Start = start;
        EpochUnixMs = epochUnixMs;
        Acceleration = acceleration;
        _unixMs = unixMs ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>Market time at the epoch.</summary>
    public DateTime Start { get; }

    /// <summary>Wall time of the epoch, Unix ms.</summary>
    public long EpochUnixMs { get; }

    /// <summary>Market seconds per wall second.</summary>
    public double Acceleration { get; }

    /// <summary>The market time now.</summary>
    public DateTime Now => At(_unixMs());

    /// <summary>
    /// The market time at wall time <paramref name="unixMs"/>, saturated to <see cref="DateTime.MinValue"/> or
    /// <see cref="DateTime.MaxValue"/> when it lies outside what a <see cref="DateTime"/> holds (see <see cref="TryAt"/>).
    /// </summary>
    public DateTime At(long unixMs)
    {
        TryAt(unixMs, out DateTime market);
        return market;
    }

    /// <summary>
    /// The market time at wall time <paramref name="unixMs"/>; false (and the saturated value) when the wall time is so
    /// far from the epoch that the market time is not a <see cref="DateTime"/> (years 1..9999). No arithmetic wraps.
    /// </summary>
    public bool TryAt(long unixMs, out DateTime market)
    {
        long wallMs = unixMs - EpochUnixMs;
        bool overflow = ((unixMs ^ EpochUnixMs) & (unixMs ^ wallMs)) < 0;
        double ticks = overflow ? (unixMs < 0 ? double.NegativeInfinity : double.PositiveInfinity) : wallMs * Acceleration * TimeSpan.TicksPerMillisecond;
        double target = Start.Ticks + ticks;
        if (target < 0)
        {
            market = DateTime.SpecifyKind(DateTime.MinValue, Start.Kind);
            return false;
        }
        if (!(target <= DateTime.MaxValue.Ticks))
        {
            market = DateTime.SpecifyKind(DateTime.MaxValue, Start.Kind);
            return false;
        }
        // The same rounding as Start.AddTicks((long)ticks), which the checks above keep in range.
        long result = Start.Ticks + (long)ticks;
        market = new DateTime(Math.Clamp(result, 0, DateTime.MaxValue.Ticks), Start.Kind);
        return true;
    }

    /// <summary>The wall time (Unix milliseconds, rounded, saturated to the range of <see cref="long"/>) at which the market clock reads <paramref name="market"/>.</summary>
    public long UnixMsAt(DateTime market)
    {
        double offset = Math.Round((market - Start).TotalMilliseconds / Acceleration);
        try
        {
            return checked(EpochUnixMs + (long)offset);
        }
        catch (OverflowException)
        {
            return offset > 0 ? long.MaxValue : long.MinValue;
        }
    }

    /// <summary>Wall milliseconds that <paramref name="market"/> market time takes.</summary>
    public double WallMilliseconds(TimeSpan market) => market.TotalMilliseconds / Acceleration;
}
