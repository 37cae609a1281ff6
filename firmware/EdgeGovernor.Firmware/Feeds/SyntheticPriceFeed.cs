namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// The embedded default feed: a synthetic day-ahead profile at any interval (hourly by default, 15 minutes in the
/// demo), deterministic for a seed.
/// Shape (EUR/MWh): a base of 95, a morning ramp around 08:00, a midday solar dip that some days
/// pushes prices below zero, an evening peak around 19:00 with an occasional spike, and noise.
/// Its statistics are of the order of the DE-LU 2024 series (mean ~80, negative hours, peaks of
/// several hundred), without copying it.
/// </summary>
internal sealed class SyntheticPriceFeed : IPriceFeed
{
    private readonly ulong _seed;
    private readonly TimeSpan _interval;

    /// <summary>Creates the profile for <paramref name="seed"/> with intervals of <paramref name="interval"/>.</summary>
    public SyntheticPriceFeed(ulong seed, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive and at most one day");
        }
        _seed = seed;
        _interval = interval;
    }

    /// <inheritdoc/>
    public string Name => "synthetic";

    /// <inheritdoc/>
    public bool KnowsDayAhead => true;

    /// <inheritdoc/>
    public ushort SourceId => 1;

    /// <summary>The price (ct/kWh) of the interval covering <paramref name="marketTime"/>.</summary>
    public PriceQuote At(DateTime marketTime)
    {
        long index = marketTime.Ticks / _interval.Ticks;
        var start = new DateTime(index * _interval.Ticks, marketTime.Kind);
        double eurPerMwh = EurPerMwh(start);
        return new PriceQuote(start, start + _interval, Math.Round(eurPerMwh, 2) * 0.1);
    }

    /// <summary>The profile in EUR/MWh at the start of an interval.</summary>
    public double EurPerMwh(DateTime start)
    {
        long day = start.Ticks / TimeSpan.TicksPerDay;
        double hour = start.TimeOfDay.TotalHours;
        double dayNoise = Unit(Mix(_seed, (ulong)day, 0));     // weather of the day
        double solar = 0.4 + 1.4 * dayNoise;                    // 0.4 (cloudy) .. 1.8 (sunny)
        bool weekend = start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

        double price = weekend ? 75 : 95;
        price += 35 * Bump(hour, 8, 1.8);                               // morning ramp
        price += 70 * Bump(hour, 19, 2.0);                              // evening peak
        price -= 75 * solar * Bump(hour, 13, 2.6);                      // solar dip
        price -= 25 * Bump(hour, 3, 2.5);                               // night trough
        price += 12 * (Unit(Mix(_seed, (ulong)day, (ulong)(hour * 4) + 1)) - 0.5) * 2;  // noise
        if (hour is >= 17 and < 21 && Unit(Mix(_seed, (ulong)day, 977)) < 0.15)
        {
            price += 150 + 250 * Unit(Mix(_seed, (ulong)day, 978));    // scarcity spike on ~15 % of evenings
        }
        return price;
    }

    /// <inheritdoc/>
    public ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken) =>
        ValueTask.FromResult<PriceQuote?>(At(marketNow));

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static double Bump(double hour, double center, double width)
    {
        double d = (hour - center) / width;
        return Math.Exp(-0.5 * d * d);
    }

    private static double Unit(ulong x) => (x >> 11) * (1.0 / (1UL << 53));

    // SplitMix64 finaliser over (seed, day, slot): stateless, so any node can recompute any hour.
    private static ulong Mix(ulong seed, ulong day, ulong slot)
    {
        ulong z = seed * 0x9E3779B97F4A7C15UL + day * 0xBF58476D1CE4E5B9UL + slot * 0x94D049BB133111EBUL + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
