namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Market time: the wall clock seen through an optional acceleration, so that a replayed day can
/// pass in a minute. <c>market = start + (unixNow - epoch) * acceleration</c>; every node given the
/// same start, epoch and acceleration agrees on market time to within its clock's error.
/// </summary>
public sealed class MarketClock
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

    /// <summary>The market time at wall time <paramref name="unixMs"/>.</summary>
    public DateTime At(long unixMs) => Start.AddTicks((long)((unixMs - EpochUnixMs) * Acceleration * TimeSpan.TicksPerMillisecond));

    /// <summary>The wall time (Unix milliseconds, rounded) at which the market clock reads <paramref name="market"/>.</summary>
    public long UnixMsAt(DateTime market) => EpochUnixMs + (long)Math.Round((market - Start).TotalMilliseconds / Acceleration);

    /// <summary>Wall milliseconds that <paramref name="market"/> market time takes.</summary>
    public double WallMilliseconds(TimeSpan market) => market.TotalMilliseconds / Acceleration;
}
