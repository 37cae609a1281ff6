using System.Globalization;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.PolicyEvaluation;

/// <summary>
/// A UTC carbon series against prices in local market time (<see cref="CarbonAlignment"/>): a price interval takes
/// the carbon of the UTC hour it starts in. The carbon of UTC hour h of day d is coded as 1000 d + h (2023-12-31 is day 0).
/// </summary>
public sealed class CarbonAlignmentTests
{
    private static readonly TimeZoneInfo Berlin = CarbonAlignment.FindZone("Europe/Berlin");
    private static readonly DateTime Day0 = new(2023, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The code of UTC hour <paramref name="utc"/>.</summary>
    private static double Code(DateTime utc) => (1000 * (utc.Date - Day0).Days) + utc.Hour;

    private static DateTime T(int month, int day, int hour) => new(2024, month, day, hour, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Carbon CSV text: every UTC hour from <paramref name="from"/> for <paramref name="hours"/> hours.</summary>
    private static string Carbon(DateTime from, int hours, string timeHeader = "Datetime (UTC)") =>
        $"{timeHeader},Country,Carbon Intensity gCO₂eq/kWh (direct)\n" +
        string.Concat(Enumerable.Range(0, hours).Select(i => string.Create(CultureInfo.InvariantCulture, $"{from.AddHours(i):yyyy-MM-dd HH:mm:ss},Germany,{Code(from.AddHours(i))}\n")));

    /// <summary>Price CSV text in market form: 24 rows a day from <paramref name="from"/> (no DST gap, no doubled hour).</summary>
    private static string Prices(DateTime from, int hours, string timeHeader = "Datetime") =>
        $"{timeHeader},Price (EUR/MWh)\n" +
        string.Concat(Enumerable.Range(0, hours).Select(i => $"{from.AddHours(i):yyyy-MM-dd HH:mm:ss},{50 + i}\n"));

    private static double[] Align(string prices, string carbon, List<string> notes, TimeZoneInfo? zone = null)
    {
        MarketSeries p = MarketSeries.ReadPrices("p.csv", prices, zone ?? Berlin);
        return CarbonAlignment.Align(MarketSeries.ReadCarbon("c.csv", carbon, zone ?? Berlin), "c.csv", p, 0, p.Values.Length, notes);
    }

    [Fact]
    public void A_winter_hour_takes_the_carbon_one_hour_earlier_in_utc()
    {
        var notes = new List<string>();
        double[] c = Align(Prices(T(1, 10, 0), 24), Carbon(T(1, 9, 0), 72), notes);
        Assert.Equal(Code(T(1, 10, 4)), c[5]); // 05:00 CET = 04:00 UTC
        Assert.Equal(Code(T(1, 9, 23)), c[0]); // 00:00 CET = 23:00 UTC the day before
        Assert.Empty(notes);
    }

    [Fact]
    public void A_summer_hour_takes_the_carbon_two_hours_earlier_in_utc()
    {
        double[] c = Align(Prices(T(7, 10, 0), 24), Carbon(T(7, 9, 0), 72), []);
        Assert.Equal(Code(T(7, 10, 3)), c[5]); // 05:00 CEST = 03:00 UTC
        Assert.Equal(Code(T(7, 10, 21)), c[23]);
    }

    [Fact]
    public void Around_the_clock_changes_each_price_interval_takes_the_carbon_of_its_own_utc_hour()
    {
        // 2024-03-31: the 02:00 row of a 24-rows-a-day file does not exist and is dropped: 5 intervals from 00:00 CET.
        double[] spring = Align(Prices(T(3, 31, 0), 6), Carbon(T(3, 30, 0), 72), []);
        Assert.Equal([Code(T(3, 30, 23)), Code(T(3, 31, 0)), Code(T(3, 31, 1)), Code(T(3, 31, 2)), Code(T(3, 31, 3))], spring);

        // 2024-10-27: 02:00 written once serves 00:00 UTC (CEST) and 01:00 UTC (CET); each takes its own carbon.
        double[] autumn = Align(Prices(T(10, 27, 0), 6), Carbon(T(10, 26, 0), 72), []);
        Assert.Equal([Code(T(10, 26, 22)), Code(T(10, 26, 23)), Code(T(10, 27, 0)), Code(T(10, 27, 1)), Code(T(10, 27, 2)), Code(T(10, 27, 3)), Code(T(10, 27, 4))], autumn);
    }

    [Fact]
    public void Quarter_hour_prices_take_the_hourly_carbon_they_fall_in()
    {
        string prices = "time,price_eur_mwh\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"{T(1, 10, 0).AddMinutes(15 * i):yyyy-MM-dd HH:mm:ss}+01:00,{i}\n"));
        double[] c = Align(prices, Carbon(T(1, 9, 0), 72), []);
        Assert.Equal(8, c.Length);
        Assert.All(c[..4], v => Assert.Equal(Code(T(1, 9, 23)), v));
        Assert.All(c[4..], v => Assert.Equal(Code(T(1, 10, 0)), v));
    }

    [Fact]
    public void Up_to_two_missing_hours_at_either_edge_are_filled_with_the_nearest_value_and_reported()
    {
        // Local 2024-01-01 00:00 is 2023-12-31 23:00 UTC, before the series; local 2024-01-02 23:00 is 22:00 UTC,
        // two hours after a series that ends at 20:00 UTC.
        var notes = new List<string>();
        double[] c = Align(Prices(T(1, 1, 0), 48), Carbon(T(1, 1, 0), 45), notes);
        Assert.Equal(Code(T(1, 1, 0)), c[0]); // filled
        Assert.Equal(Code(T(1, 1, 0)), c[1]);
        Assert.Equal(Code(T(1, 2, 20)), c[45]);
        Assert.Equal(Code(T(1, 2, 20)), c[46]); // filled
        Assert.Equal(Code(T(1, 2, 20)), c[47]); // filled
        Assert.Equal(2, notes.Count);
        Assert.Equal("c.csv: filled 60 min before the start of the carbon series (2024-01-01 00:00 UTC) with its first value", notes[0]);
        Assert.Equal("c.csv: filled 120 min after the end of the carbon series (2024-01-02 20:00 UTC) with its last value", notes[1]);
    }

    [Fact]
    public void Three_missing_hours_at_an_edge_are_an_error_naming_the_file_and_the_time()
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => Align(Prices(T(1, 1, 0), 24), Carbon(T(1, 1, 2), 48), []));
        Assert.Equal("c.csv", ex.File);
        Assert.Contains("does not cover 2023-12-31 23:00 UTC", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_market_zone_uses_its_own_offsets()
    {
        double[] ny = Align(Prices(T(1, 10, 0), 24), Carbon(T(1, 9, 0), 72), [], CarbonAlignment.FindZone("America/New_York"));
        Assert.Equal(Code(T(1, 10, 10)), ny[5]); // 05:00 EST = 10:00 UTC
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    public void An_unknown_zone_is_an_argument_error(string id)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => CarbonAlignment.FindZone(id));
        Assert.Equal($"'{id}' is not a known time zone (an IANA id such as Europe/Berlin; the zones come from tzdata)", ex.Message);
    }
}
