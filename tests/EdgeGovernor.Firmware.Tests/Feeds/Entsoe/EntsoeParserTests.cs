using System.Globalization;
using System.Text;
using EdgeGovernor.Firmware.Feeds.Entsoe;

namespace EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

public class EntsoeParserTests
{
    private static readonly EntsoeParseOptions Options = new();

    private static string Real(string name) => File.ReadAllText(Path.Combine(RepoPaths.SharedData, "entsoe", name));

    private static EntsoeDocument Parse(string xml)
    {
        Assert.True(EntsoeParser.TryParse(xml, Options, out EntsoeDocument doc, out string error), error);
        return doc;
    }

    private static string Fails(string xml, EntsoeParseOptions? options = null)
    {
        Assert.False(EntsoeParser.TryParse(xml, options ?? Options, out _, out string error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error;
    }

    /// <summary>A one-series, one-period A44 reply; <paramref name="points"/> as (position, price).</summary>
    internal static string Reply(string start, string end, string resolution, IEnumerable<(int Position, string Price)> points,
        string curve = "A01", string currency = "EUR", string unit = "MWH",
        string ns = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3")
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <Publication_MarketDocument xmlns="{ns}">
              <type>A44</type>
              <TimeSeries>
                <currency_Unit.name>{currency}</currency_Unit.name>
                <price_Measure_Unit.name>{unit}</price_Measure_Unit.name>
                <curveType>{curve}</curveType>
                <Period>
                  <timeInterval><start>{start}</start><end>{end}</end></timeInterval>
                  <resolution>{resolution}</resolution>
            """);
        foreach ((int position, string price) in points)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<Point><position>{position}</position><price.amount>{price}</price.amount></Point>\n");
        }
        sb.Append("</Period></TimeSeries></Publication_MarketDocument>");
        return sb.ToString();
    }

    internal static IEnumerable<(int, string)> Points(int count) =>
        Enumerable.Range(1, count).Select(i => (i, (i * 1.5).ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public void The_real_Belgian_hourly_reply_gives_24_hours_from_22Z()
    {
        EntsoeDocument doc = Parse(Real("BE_2024-10-08_A44_PT60M.xml"));
        Assert.False(doc.IsAcknowledgement);
        Assert.Equal("EUR", doc.Currency);
        EntsoePeriod period = Assert.Single(doc.Periods);
        Assert.Equal(TimeSpan.FromHours(1), period.Resolution);
        Assert.Equal(new DateTimeOffset(2024, 10, 7, 22, 0, 0, TimeSpan.Zero), period.StartUtc);
        Assert.Equal(new DateTimeOffset(2024, 10, 8, 22, 0, 0, TimeSpan.Zero), period.EndUtc);
        Assert.Equal(24, period.Prices.Length);
        Assert.Equal([64.98, 57.86, 53.73], period.Prices[..3]);
    }

    [Fact]
    public void The_real_DE_LU_reply_holds_hourly_and_quarter_hourly_periods_and_A03_gaps_repeat_the_price_before()
    {
        EntsoeDocument doc = Parse(Real("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml"));
        Assert.Equal(4, doc.Periods.Count);
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)], doc.Resolutions);
        Assert.All(doc.Periods, p => Assert.Equal(EntsoeCurveType.VariableSizedBlock, p.CurveType));

        // Hourly, first day: position 15 is not written, so it repeats position 14 (-0.01, a negative price).
        EntsoePeriod hourly = doc.Periods[0];
        Assert.Equal(-0.01, hourly.Prices[13]);
        Assert.Equal(-0.01, hourly.Prices[14]);
        // Quarter-hours, first day: position 23 repeats position 22 (68.2).
        EntsoePeriod quarter = doc.Periods[2];
        Assert.Equal(96, quarter.Prices.Length);
        Assert.Equal(68.2, quarter.Prices[21]);
        Assert.Equal(68.2, quarter.Prices[22]);

        Assert.True(doc.TryGetIntervals(TimeSpan.FromMinutes(15), out var intervals, out string? error), error);
        Assert.Equal(192, intervals.Count);
        Assert.Equal(new DateTimeOffset(2024, 10, 5, 22, 0, 0, TimeSpan.Zero), intervals[0].Start);
        Assert.Equal(new DateTimeOffset(2024, 10, 7, 22, 0, 0, TimeSpan.Zero), intervals[^1].End);
        Assert.All(intervals.Zip(intervals.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.True(doc.TryGetIntervals(TimeSpan.FromHours(1), out var hours, out _));
        Assert.Equal(48, hours.Count);
    }

    [Fact]
    public void The_no_data_acknowledgement_is_not_a_price()
    {
        EntsoeDocument doc = Parse(Real("acknowledgement_999_no_data.xml"));
        Assert.True(doc.IsAcknowledgement);
        Assert.Equal("999", doc.ReasonCode);
        Assert.Equal("No matching data found", doc.ReasonText);
        Assert.Empty(doc.Periods);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_truncated_reply_is_refused(double keep)
    {
        string xml = Real("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml");
        Assert.Contains("not well-formed", Fails(xml[..(int)(xml.Length * keep)]));
    }

    [Fact]
    public void A_wrong_namespace_is_refused()
    {
        string xml = Real("BE_2024-10-08_A44_PT60M.xml").Replace("publicationdocument:7:", "publicationdocument:9:", StringComparison.Ordinal);
        Assert.Contains("unknown namespace", Fails(xml));
        Assert.Contains("unknown namespace", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24), ns: "urn:example")));
    }

    [Fact]
    public void A_wrong_unit_or_currency_is_refused()
    {
        Assert.Contains("price unit is 'KWH'", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24), unit: "KWH")));
        Assert.Contains("currency is 'PLN'", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24), currency: "PLN")));
        // A zone priced in another currency is accepted when configured so.
        Assert.True(EntsoeParser.TryParse(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24), currency: "PLN"),
            Options with { Currency = "PLN" }, out EntsoeDocument pln, out _));
        Assert.Equal("PLN", pln.Currency);
    }

    [Theory]
    [InlineData("PT0M")]
    [InlineData("PT7M")]
    [InlineData("P1D")]
    [InlineData("")]
    [InlineData("PT15")]
    public void A_zero_or_unknown_resolution_is_refused(string resolution) =>
        Assert.Contains("resolution", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", resolution, Points(24))));

    [Theory]
    [InlineData(0)]
    [InlineData(97)]
    [InlineData(-1)]
    public void A_position_outside_the_period_is_refused(int position)
    {
        var points = Points(96).ToList();
        points[^1] = (position, "10");
        Assert.Contains("outside 1..96", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT15M", points)));
    }

    [Fact]
    public void Positions_out_of_order_or_repeated_are_refused()
    {
        Assert.Contains("comes after", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", [(1, "1"), (3, "2"), (2, "3")], curve: "A03")));
        Assert.Contains("comes after", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", [(1, "1"), (1, "2")], curve: "A03")));
    }

    [Fact]
    public void Clock_change_days_have_92_and_100_quarter_hours()
    {
        // Spring 2025 (CET -> CEST): the local day 03-30 is 23 h = 92 quarter-hours in UTC.
        EntsoePeriod spring = Assert.Single(Parse(Reply("2025-03-29T23:00Z", "2025-03-30T22:00Z", "PT15M", Points(92))).Periods);
        Assert.Equal(92, spring.Prices.Length);
        Assert.Equal(138.0, spring.Prices[^1]);
        // Autumn 2025 (CEST -> CET): the local day 10-26 is 25 h = 100 quarter-hours.
        EntsoePeriod autumn = Assert.Single(Parse(Reply("2025-10-25T22:00Z", "2025-10-26T23:00Z", "PT15M", Points(100))).Periods);
        Assert.Equal(100, autumn.Prices.Length);
        // One point more than the 92 intervals is out of range.
        Assert.Contains("outside 1..92", Fails(Reply("2025-03-29T23:00Z", "2025-03-30T22:00Z", "PT15M", Points(93))));
    }

    [Fact]
    public void A01_needs_every_position_and_A03_needs_the_first()
    {
        Assert.Contains("position 5 is missing from an A01 curve",
            Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24).Where(p => p.Item1 != 5))));
        Assert.Contains("position 1 is missing",
            Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24).Skip(1), curve: "A03")));
        Assert.Contains("curve type 'A02'", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24), curve: "A02")));
    }

    [Fact]
    public void Times_must_be_UTC_on_the_resolution_grid_and_in_order()
    {
        Assert.Contains("UTC", Fails(Reply("2024-10-07T22:00+02:00", "2024-10-08T22:00Z", "PT60M", Points(24))));
        Assert.Contains("before it starts", Fails(Reply("2024-10-08T22:00Z", "2024-10-07T22:00Z", "PT60M", Points(24))));
        Assert.Contains("not whole", Fails(Reply("2024-10-07T22:10Z", "2024-10-08T22:10Z", "PT15M", Points(96))));
        Assert.Contains("not whole", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:20Z", "PT15M", Points(96))));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("")]
    [InlineData("99999")]
    [InlineData("-5000")]
    public void An_unreadable_or_implausible_price_is_refused(string price) =>
        Assert.Contains("price", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(23).Append((24, price)))));

    [Fact]
    public void Other_documents_DTDs_and_oversized_replies_are_refused()
    {
        Assert.Contains("not a Publication_MarketDocument", Fails("<html><body>Unauthorized</body></html>"));
        Assert.Contains("not A44", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24)).Replace("<type>A44</type>", "<type>A65</type>", StringComparison.Ordinal)));
        Assert.Contains("not well-formed", Fails("""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"""));
        Assert.Contains("more than", Fails(Real("BE_2024-10-08_A44_PT60M.xml"), Options with { MaxCharacters = 1000 }));
        Assert.Contains("more than 50 intervals", Fails(Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT15M", Points(96)), Options with { MaxIntervals = 50 }));
        Assert.Contains("no TimeSeries", Fails("""<Publication_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3"><type>A44</type></Publication_MarketDocument>"""));
    }

    [Fact]
    public void Overlapping_periods_must_agree()
    {
        string one = Reply("2024-10-07T22:00Z", "2024-10-08T22:00Z", "PT60M", Points(24));
        string twice = one.Replace("</TimeSeries>", "</TimeSeries>" + one[one.IndexOf("<TimeSeries>", StringComparison.Ordinal)..one.IndexOf("</Publication_MarketDocument>", StringComparison.Ordinal)], StringComparison.Ordinal);
        EntsoeDocument same = Parse(twice);
        Assert.Equal(2, same.Periods.Count);
        Assert.True(same.TryGetIntervals(TimeSpan.FromHours(1), out var intervals, out _));
        Assert.Equal(24, intervals.Count);

        int second = twice.LastIndexOf("<price.amount>1.5<", StringComparison.Ordinal);
        string differ = twice[..second] + "<price.amount>2.5<" + twice[(second + "<price.amount>1.5<".Length)..];
        Assert.False(Parse(differ).TryGetIntervals(TimeSpan.FromHours(1), out _, out string? error));
        Assert.Contains("two prices", error);
    }
}
