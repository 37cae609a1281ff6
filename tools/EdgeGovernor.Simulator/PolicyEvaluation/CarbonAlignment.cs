using System.Globalization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// The carbon intensity of each price interval. Both series are on axes of UTC instants (<see cref="MarketSeries"/>:
/// price files in local market time or with offsets, carbon exports in UTC), so a price interval takes the carbon
/// value of the carbon interval containing its start, whatever either interval is (hourly carbon, 15-minute prices).
/// </summary>
/// <remarks>
/// Up to <see cref="MaxEdgeFillHours"/> hours missing at either edge of the carbon series are filled with the nearest
/// value and reported (local 2024-01-01 00:00 in Berlin is 2023-12-31 23:00 UTC); more is an error.
/// </remarks>
public static class CarbonAlignment
{
    /// <summary>Hours that may be missing at either edge of a carbon series (filled with the nearest value).</summary>
    public const int MaxEdgeFillHours = 2;

    /// <summary>The market zone of the shipped DE-LU data.</summary>
    public const string DefaultMarketZone = "Europe/Berlin";

    /// <summary>The zone <paramref name="id"/> (IANA id, from the system's tzdata); an unknown id is an <see cref="ArgumentException"/> with a one-line message.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ArgumentException($"'{id}' is not a known time zone (an IANA id such as {DefaultMarketZone}; the zones come from tzdata)", ex);
        }
    }

    /// <summary>
    /// The carbon intensity of the <paramref name="count"/> price intervals from index <paramref name="first"/> of
    /// <paramref name="prices"/>; edge fills are added to <paramref name="notes"/>.
    /// </summary>
    /// <exception cref="InputFormatException">The carbon series does not cover an evaluated interval.</exception>
    public static double[] Align(MarketSeries carbon, string carbonPath, MarketSeries prices, int first, int count, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(carbon);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(notes);
        int n = carbon.Values.Length;
        var values = new double[count];
        TimeSpan before = TimeSpan.Zero, after = TimeSpan.Zero;
        TimeSpan maxFill = TimeSpan.FromHours(MaxEdgeFillHours);
        DateTimeOffset end = carbon.TimeOf(n);
        for (int i = 0; i < count; i++)
        {
            DateTimeOffset at = prices.TimeOf(first + i);
            long k = carbon.IndexAt(at);
            if (k < 0)
            {
                before = Max(before, carbon.Start - at);
            }
            else if (k >= n)
            {
                after = Max(after, at - end + TimeSpan.FromMinutes(prices.IntervalMinutes));
            }

            if ((k < 0 && carbon.Start - at > maxFill) || (k >= n && at - end >= maxFill))
            {
                throw new InputFormatException(carbonPath, 0, string.Create(CultureInfo.InvariantCulture,
                    $"carbon series ({carbon.Start:yyyy-MM-dd HH:mm} .. {carbon.TimeOf(n - 1):yyyy-MM-dd HH:mm} UTC) does not cover {at:yyyy-MM-dd HH:mm} UTC: it must cover every evaluated interval (at most {MaxEdgeFillHours} h at either edge are filled)"));
            }

            values[i] = carbon.Values[(int)Math.Clamp(k, 0, n - 1)];
        }

        if (before > TimeSpan.Zero)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{carbonPath}: filled {before.TotalMinutes:F0} min before the start of the carbon series ({carbon.Start:yyyy-MM-dd HH:mm} UTC) with its first value"));
        }

        if (after > TimeSpan.Zero)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{carbonPath}: filled {after.TotalMinutes:F0} min after the end of the carbon series ({carbon.TimeOf(n - 1):yyyy-MM-dd HH:mm} UTC) with its last value"));
        }

        return values;

        static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
