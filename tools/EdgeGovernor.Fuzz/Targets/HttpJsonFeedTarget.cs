using System.Text;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Reply bodies of the HTTP JSON price feed through <see cref="HttpJsonPriceFeed.TryParse"/> and the bounds check its
/// poll applies after it, for two configurations: a nested price field with an interval-start field, and a top-level
/// price in EUR/MWh without one (the interval then follows the market clock). Refusing is a result; throwing is a finding.
/// </summary>
internal sealed class HttpJsonFeedTarget : IFuzzTarget
{
    private static readonly DateTime MarketNow = new(2024, 10, 27, 2, 30, 0, DateTimeKind.Unspecified);

    // Built on the first input (the feeds' constructors are instrumented code).
    private HttpJsonPriceFeed[]? _feeds;
    private PriceValidator? _validator;

    public string Name => "httpjson";

    public string Description => "HTTP JSON price feed reply bodies (HttpJsonPriceFeed.TryParse)";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (_feeds is null)
        {
            _validator = new PriceValidator(-50, 400);
            var log = new Logger("fuzz", LogLevel.Debug, TextWriter.Null);
            var url = new Uri("http://127.0.0.1:9/price");
            _feeds =
            [
                new HttpJsonPriceFeed(url, "data.price", "data.start", "ct/kWh", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(1), _validator, log),
                new HttpJsonPriceFeed(url, "price", "", "EUR/MWh", TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), _validator, log),
            ];
        }
        foreach (HttpJsonPriceFeed feed in _feeds)
        {
            if (feed.TryParse(input, MarketNow, out PriceQuote quote, out string? problem))
            {
                _validator!.TryAccept(quote, out _);
            }
            else if (problem is null)
            {
                throw new InvalidOperationException("a refused body must come with the problem");
            }
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        yield return """{"data":{"price":12.5,"start":"2024-10-27T01:00:00Z"}}"""u8.ToArray();
        yield return """{"data":{"price":"-3.75","start":"2024-10-27T02:15:00+01:00","unit":"ct/kWh"},"source":"tibber"}"""u8.ToArray();
        yield return """{"price":81.52,"currency":"EUR","unit":"MWh"}"""u8.ToArray();
        yield return Encoding.UTF8.GetBytes("""{"price":1e308,"data":{"price":null,"start":""}}""");
        yield return """[{"price":1}]"""u8.ToArray();
    }
}
