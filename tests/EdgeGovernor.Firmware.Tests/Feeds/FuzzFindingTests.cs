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
}
