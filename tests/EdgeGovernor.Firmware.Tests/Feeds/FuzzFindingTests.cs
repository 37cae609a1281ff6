using System.Text;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Feeds;

/// <summary>Feed replies the coverage-guided fuzzer (tools/EdgeGovernor.Fuzz) found throwing instead of being refused.</summary>
public sealed class FuzzFindingTests
{
    private static HttpJsonPriceFeed Feed(string priceField, string startField) =>
        new(new Uri("http://127.0.0.1:9/price"), priceField, startField, "ct/kWh", TimeSpan.FromHours(1), TimeSpan.FromSeconds(1),
            new PriceValidator(-50, 400), new Logger("test", LogLevel.Debug, TextWriter.Null));

    [Theory]
    [InlineData("data.price", "data.start", "{\"data\":{\"price\":12.5,\"start\":\"2024-10-27T01:00\xCF\x30Z\"}}")] // found by httpjson
    [InlineData("price", "", "{\"price\":\"1\xC0\"}")]
    public void A_body_with_invalid_utf8_in_a_string_is_refused_not_thrown(string priceField, string startField, string latin1Body)
    {
        using HttpJsonPriceFeed feed = Feed(priceField, startField);
        byte[] body = Encoding.Latin1.GetBytes(latin1Body);

        Assert.False(feed.TryParse(body, new DateTime(2024, 10, 27, 2, 0, 0), out _, out string? problem));
        Assert.Contains("UTF-8", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:00Z")]
    [InlineData("9999-12-31T23:00:01+00:00")]
    public void A_start_whose_interval_would_end_past_year_9999_is_refused_not_thrown(string start)
    {
        using HttpJsonPriceFeed feed = Feed("data.price", "data.start");
        byte[] body = Encoding.UTF8.GetBytes("{\"data\":{\"price\":1,\"start\":\"" + start + "\"}}");

        Assert.False(feed.TryParse(body, new DateTime(2024, 10, 27, 2, 0, 0), out _, out string? problem));
        Assert.Contains("9999", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_row_whose_interval_would_end_past_year_9999_is_rejected_and_counted()
    {
        var validator = new PriceValidator(-50, 400);
        using var reader = new StringReader("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,80\n9999-12-31 23:30:00,5\n");

        CsvPriceFeed feed = CsvPriceFeed.Parse(reader, "max.csv", TimeSpan.FromHours(1), validator, new Logger("test", LogLevel.Debug, TextWriter.Null));

        Assert.Single(feed.Quotes);
        Assert.Equal(1, validator.Rejected(PriceRejection.Implausible)); // outside the market window, before any date arithmetic
    }
}
