using System.Globalization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// The carbon intensity of each price hour. Price files are written in local market time ("day + hour", 24 rows
/// every day: the spring-forward hour that does not exist is present, filled with a copy; the autumn hour that
/// happens twice is present once); carbon exports (Electricity Maps) in UTC.
/// </summary>
/// <remarks>
/// When the carbon file's time column header says UTC (e.g. <c>Datetime (UTC)</c>) and the price file's does not,
/// the local price hour L (in the market's zone, <c>--market-zone</c>) takes the carbon of the UTC hour
/// L - offset(L): a valid local time uses its offset; an invalid one (the spring-forward hour) the offset in
/// force before the transition, i.e. the same UTC hour as the hour after it; an ambiguous one (the autumn hour
/// that happens twice, whose price is one value) the mean of the carbon of both UTC hours. A zone whose offset is
/// not a whole hour takes the time-weighted mean of the two UTC hours it overlaps. Up to
/// <see cref="MaxEdgeFillHours"/> hours missing at either edge of the carbon series are filled with the nearest
/// value and reported (local 2024-01-01 00:00 in Berlin is 2023-12-31 23:00 UTC); more is an error. Otherwise
/// (no UTC in the carbon header, or both headers UTC) the series are aligned by their written timestamps.
/// </remarks>
public static class CarbonAlignment
{
    /// <summary>Hours that may be missing at either edge of a UTC carbon series (filled with the nearest value).</summary>
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
    /// The carbon intensity of the <paramref name="hours"/> price hours from index <paramref name="first"/> of
    /// <paramref name="prices"/> (see the remarks); edge fills are added to <paramref name="notes"/>.
    /// </summary>
    /// <exception cref="InputFormatException">The carbon series does not cover an evaluated hour.</exception>
    public static double[] Align(HourlySeries carbon, string carbonPath, HourlySeries prices, int first, int hours, TimeZoneInfo marketZone, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(carbon);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(marketZone);
        ArgumentNullException.ThrowIfNull(notes);
        DateTime start = prices.TimeOf(first);
        if (!carbon.Utc || prices.Utc)
        {
            int ci = carbon.IndexOf(start);
            if (ci < 0 || ci + hours > carbon.Values.Length)
            {
                throw new InputFormatException(carbonPath, 0, string.Create(CultureInfo.InvariantCulture, $"carbon series ({carbon.Start:yyyy-MM-dd HH:mm}, {carbon.Values.Length} h) does not cover {start:yyyy-MM-dd HH:mm} + {hours} h"));
            }

            return carbon.Values[ci..(ci + hours)];
        }

        int n = carbon.Values.Length;
        DateTime last = carbon.TimeOf(n - 1);
        var values = new double[hours];
        int before = 0, after = 0; // hours filled at either edge
        DateTime beforeFor = default, afterFor = default;
        for (int i = 0; i < hours; i++)
        {
            DateTime local = prices.TimeOf(first + i);
            if (marketZone.IsAmbiguousTime(local))
            {
                TimeSpan[] offsets = marketZone.GetAmbiguousTimeOffsets(local);
                double sum = 0;
                foreach (TimeSpan o in offsets)
                {
                    sum += At(local, o);
                }

                values[i] = sum / offsets.Length;
            }
            else if (marketZone.IsInvalidTime(local))
            {
                DateTime b = local;
                do
                {
                    b = b.AddMinutes(-15);
                }
                while (marketZone.IsInvalidTime(b));
                values[i] = At(local, marketZone.GetUtcOffset(b));
            }
            else
            {
                values[i] = At(local, marketZone.GetUtcOffset(local));
            }
        }

        if (before > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{carbonPath}: filled {before} h before the start of the carbon series ({carbon.Start:yyyy-MM-dd HH:mm} UTC; needed from the price hour {beforeFor:yyyy-MM-dd HH:mm} {marketZone.Id}) with its first value"));
        }

        if (after > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{carbonPath}: filled {after} h after the end of the carbon series ({last:yyyy-MM-dd HH:mm} UTC; needed up to the price hour {afterFor:yyyy-MM-dd HH:mm} {marketZone.Id}) with its last value"));
        }

        return values;

        // Carbon of the hour starting at local - offset (UTC); time-weighted when that is not on the hour.
        double At(DateTime local, TimeSpan offset)
        {
            double h = (local - offset - carbon.Start).TotalHours;
            int k = (int)Math.Floor(h);
            double frac = h - k;
            return frac == 0 ? Get(k, local) : ((1 - frac) * Get(k, local)) + (frac * Get(k + 1, local));
        }

        double Get(int k, DateTime local)
        {
            if (k >= 0 && k < n)
            {
                return carbon.Values[k];
            }

            int missing = k < 0 ? -k : k - n + 1;
            if (missing > MaxEdgeFillHours)
            {
                DateTime utc = carbon.TimeOf(k);
                throw new InputFormatException(carbonPath, 0, string.Create(CultureInfo.InvariantCulture,
                    $"carbon series ({carbon.Start:yyyy-MM-dd HH:mm} .. {last:yyyy-MM-dd HH:mm} UTC) lacks {utc:yyyy-MM-dd HH:mm} UTC, needed for the price hour {local:yyyy-MM-dd HH:mm} {marketZone.Id}: it must cover every evaluated hour (at most {MaxEdgeFillHours} h at either edge are filled)"));
            }

            if (k < 0)
            {
                if (missing > before)
                {
                    before = missing;
                }

                if (beforeFor == default)
                {
                    beforeFor = local;
                }

                return carbon.Values[0];
            }

            if (missing > after)
            {
                after = missing;
            }

            afterFor = local;
            return carbon.Values[n - 1];
        }
    }
}
