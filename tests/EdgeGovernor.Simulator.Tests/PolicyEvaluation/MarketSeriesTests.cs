using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.PolicyEvaluation;

public class MarketSeriesTests
{
    private static readonly TimeZoneInfo Berlin = CarbonAlignment.FindZone("Europe/Berlin");

    /// <summary>Price CSV text: <paramref name="count"/> rows every <paramref name="minutes"/> minutes from <paramref name="from"/>, written with <paramref name="format"/>.</summary>
    private static string Series(string header, DateTime from, int count, int minutes = 60, string format = "yyyy-MM-dd HH:mm:ss", int skipFrom = -1, int skipCount = 0, string suffix = "")
    {
        var lines = new List<string> { header };
        for (int i = 0; i < count; i++)
        {
            if (i >= skipFrom && i < skipFrom + skipCount)
            {
                continue;
            }

            lines.Add($"{from.AddMinutes(i * minutes).ToString(format, System.Globalization.CultureInfo.InvariantCulture)}{suffix},{(i % 5) - 1}.5");
        }

        return string.Join('\n', lines) + "\n";
    }

    private static DateTime T(int month, int day, int hour = 0) => new(2024, month, day, hour, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void Hourly_prices_in_eur_per_mwh_in_local_time_become_cents_per_kwh_on_utc_instants()
    {
        MarketSeries s = MarketSeries.ReadPrices("p.csv", Series("Datetime,Price (EUR/MWh)", T(1, 1), 30), Berlin);
        Assert.Equal(30, s.Values.Length);
        Assert.Equal(60, s.IntervalMinutes);
        Assert.Equal("EUR", s.Currency);
        Assert.Equal(-0.15, s.Values[0], 12); // "-1.5" EUR/MWh
        Assert.Equal(0.35, s.Values[4], 12);
        Assert.Empty(s.Notes);
        Assert.Equal(new DateTimeOffset(2023, 12, 31, 23, 0, 0, TimeSpan.Zero), s.Start); // 00:00 CET
    }

    [Theory]
    [InlineData("Datetime,Price (c/kWh)", 1.0, "EUR")]
    [InlineData("Datetime,Price (EUR/kWh)", 100.0, "EUR")]
    [InlineData("time,price_eur_mwh", 0.1, "EUR")]
    [InlineData("time,price_usd_mwh", 0.1, "USD")]
    [InlineData("timestamp,price_gbp_kwh", 100.0, "GBP")]
    public void Units_and_currencies_are_read_from_the_column_name(string header, double factor, string currency)
    {
        MarketSeries s = MarketSeries.ReadPrices("p.csv", Series(header, T(1, 1), 3), Berlin);
        Assert.Equal(-1.5 * factor, s.Values[0], 9);
        Assert.Equal(currency, s.Currency);
    }

    [Fact]
    public void A_unit_column_names_the_unit_and_must_keep_one_currency()
    {
        MarketSeries s = MarketSeries.ReadPrices("p.csv", "time,price,unit\n2024-01-01T00:00:00Z,30,USD/MWh\n2024-01-01T01:00:00Z,40,USD/MWh\n", Berlin);
        Assert.Equal("USD", s.Currency);
        Assert.Equal(4.0, s.Values[1], 12);
        InputFormatException ex = Assert.Throws<InputFormatException>(() => MarketSeries.ReadPrices("p.csv", "time,price,unit\n2024-01-01T00:00:00Z,30,USD/MWh\n2024-01-01T01:00:00Z,40,EUR/MWh\n", Berlin));
        Assert.Equal(3, ex.Line);
        Assert.Contains("changes the currency from USD", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Quarter_hours_with_offsets_like_the_de_lu_2025_file_are_read_at_15_minutes()
    {
        string text = Series("time,price_eur_mwh", T(10, 7), 8, minutes: 15, suffix: "+02:00");
        MarketSeries s = MarketSeries.ReadPrices("p.csv", text, Berlin);
        Assert.Equal(15, s.IntervalMinutes);
        Assert.Equal(8, s.Values.Length);
        Assert.Equal(new DateTimeOffset(2024, 10, 6, 22, 0, 0, TimeSpan.Zero), s.Start);
        Assert.Equal(new DateTimeOffset(2024, 10, 6, 22, 45, 0, TimeSpan.Zero), s.TimeOf(3));
    }

    [Fact]
    public void A_us_series_in_usd_with_negative_offsets_and_five_minute_steps_is_read()
    {
        string text = Series("time,price_usd_mwh", T(1, 1), 24, minutes: 5, format: "yyyy-MM-ddTHH:mm:ss", suffix: "-05:00");
        MarketSeries s = MarketSeries.ReadPrices("ercot.csv", text, CarbonAlignment.FindZone("America/Chicago"));
        Assert.Equal(5, s.IntervalMinutes);
        Assert.Equal("USD", s.Currency);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 5, 0, 0, TimeSpan.Zero), s.Start);
    }

    [Fact]
    public void Utc_times_with_z_or_a_utc_header_are_utc()
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), MarketSeries.ReadPrices("p.csv", Series("time,price_eur_mwh", T(1, 1), 3, format: "yyyy-MM-ddTHH:mm:ss", suffix: "Z"), Berlin).Start);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), MarketSeries.ReadPrices("p.csv", Series("Datetime (UTC),price_eur_mwh", T(1, 1), 3), Berlin).Start);
    }

    [Fact]
    public void Local_quarter_hours_give_days_of_92_and_100_intervals_at_the_clock_changes()
    {
        // 2024-03-31 in local time: 23 h (02:00-02:45 do not exist); 2024-10-27: 25 h (02:00-02:45 written twice).
        // Every UTC quarter-hour of the local day, written in local time without offset.
        static IEnumerable<DateTime> LocalDay(DateTime day)
        {
            DateTimeOffset end = new(day.AddDays(1), Berlin.GetUtcOffset(day.AddDays(1)));
            for (DateTimeOffset t = new(day, Berlin.GetUtcOffset(day)); t < end; t = t.AddMinutes(15))
            {
                yield return TimeZoneInfo.ConvertTime(t, Berlin).DateTime;
            }
        }

        foreach ((DateTime day, int expected) in new[] { (T(3, 31), 92), (T(10, 27), 100), (T(10, 28), 96) })
        {
            string text = "time,price_eur_mwh\n" + string.Concat(LocalDay(day).Select((t, i) => $"{t:yyyy-MM-dd HH:mm:ss},{i}\n"));
            MarketSeries s = MarketSeries.ReadPrices("p.csv", text, Berlin);
            Assert.Equal(expected, s.Values.Length);
            Assert.Empty(s.Notes);
            Assert.Equal(expected - 1, s.Values[^1] * 10, 9); // no value lost or repeated: row i is interval i
        }
    }

    [Fact]
    public void A_24_rows_a_day_hourly_file_drops_the_spring_hour_and_repeats_the_autumn_hour_with_notes()
    {
        MarketSeries spring = MarketSeries.ReadPrices("spring.csv", Series("Datetime,Price (EUR/MWh)", T(3, 30), 48), Berlin);
        Assert.Equal(47, spring.Values.Length);
        Assert.StartsWith("spring.csv:28: 2024-03-31 02:00 does not exist in Europe/Berlin", Assert.Single(spring.Notes), StringComparison.Ordinal);

        MarketSeries autumn = MarketSeries.ReadPrices("autumn.csv", Series("Datetime,Price (EUR/MWh)", T(10, 27), 24), Berlin);
        Assert.Equal(25, autumn.Values.Length);
        Assert.Equal(autumn.Values[2], autumn.Values[3]); // 02:00 CEST and 02:00 CET
        Assert.Contains("written once: its values serve both passes", Assert.Single(autumn.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_day_long_gap_is_filled_from_the_day_before_and_reported_with_its_line()
    {
        MarketSeries s = MarketSeries.ReadPrices("p.csv", Series("time,price_eur_mwh", T(1, 8), 4 * 96, minutes: 15, suffix: "+01:00", skipFrom: 192, skipCount: 96), Berlin);
        Assert.Equal(4 * 96, s.Values.Length);
        Assert.Equal(s.Values[100], s.Values[196]);
        Assert.StartsWith("p.csv:194: filled a gap of 1440 min", Assert.Single(s.Notes), StringComparison.Ordinal);
        InputFormatException ex = Assert.Throws<InputFormatException>(() => MarketSeries.ReadPrices("p.csv", Series("time,price_eur_mwh", T(1, 8), 4 * 96, minutes: 15, suffix: "+01:00", skipFrom: 192, skipCount: 97), Berlin));
        Assert.Contains("gap of 1455 min", ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n2024-01-01 00:20:00,2\n2024-01-01 00:40:00,2\n", 3, "interval is 20 min")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n2024-01-01 00:15:00,2\n2024-01-01 00:35:00,2\n", 4, "not on the 15-minute grid")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n2024-01-01 00:15:00,2\n2024-01-01 00:15:00,3\n", 4, "repeated or backwards")]
    [InlineData("time,price\n2024-01-01 00:00:00,1\n", 1, "unknown price unit '' in column 'price'")]
    [InlineData("time,price_eur_mwhx\n2024-01-01 00:00:00,1\n", 1, "unknown price unit 'eur/mwhx'")]
    [InlineData("time,price_eu_mwh\n2024-01-01 00:00:00,1\n", 1, "unknown price unit 'eu/mwh'")]
    [InlineData("Datetime,Cost (EUR/MWh)\n2024-01-01 00:00:00,1\n", 1, "missing column 'price_eur_mwh'")]
    [InlineData("When,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n", 1, "missing column 'time'")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,abc\n", 3, "unparsable value 'abc'")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n01/01/2024 01:00,2\n", 3, "unparsable timestamp")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00+25:00,1\n", 2, "unparsable timestamp")]
    [InlineData("time,price_eur_mwh\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,1\n2024-01-01 04:00:00,2\n", 4, "within the first day")]
    [InlineData("", 1, "empty file")]
    [InlineData("time,price_eur_mwh\n", 0, "no data rows")]
    public void Bad_price_files_name_file_line_and_problem(string text, int line, string problem)
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => MarketSeries.ReadPrices("bad.csv", text, Berlin));
        Assert.Equal("bad.csv", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Carbon_reads_the_direct_or_life_cycle_column()
    {
        const string text = "Datetime (UTC),Country,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA)\n2024-01-01 00:00:00,Germany,133.1,177.74\n2024-01-01 01:00:00,Germany,134.17,179.08\n";
        Assert.Equal(133.1, MarketSeries.ReadCarbon("c.csv", text, Berlin).Values[0], 9);
        Assert.Equal(179.08, MarketSeries.ReadCarbon("c.csv", text, Berlin, lifeCycle: true).Values[1], 9);
        InputFormatException ex = Assert.Throws<InputFormatException>(() => MarketSeries.ReadCarbon("c.csv", "Datetime (UTC),Carbon Intensity kgCO2/MWh (direct)\n2024-01-01 00:00:00,1\n", Berlin));
        Assert.Contains("unknown carbon unit", ex.Problem, StringComparison.Ordinal);
    }
}
