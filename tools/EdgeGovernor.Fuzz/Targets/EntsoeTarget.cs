using System.Text;
using EdgeGovernor.Firmware.Feeds.Entsoe;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>ENTSO-E day-ahead replies (XML), then the interval listing of every resolution found.</summary>
internal sealed class EntsoeTarget : IFuzzTarget
{
    private static readonly EntsoeParseOptions Options = new() { MaxCharacters = 256 * 1024 };

    public string Name => "entsoe";

    public string Description => "ENTSO-E A44 / acknowledgement reply parser";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (EntsoeParser.TryParse(input, Options, out EntsoeDocument doc, out _))
        {
            foreach (TimeSpan resolution in doc.Resolutions)
            {
                doc.TryGetIntervals(resolution, out _, out _);
            }
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        const string Ns = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3";
        yield return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0" encoding="utf-8"?>
            <Publication_MarketDocument xmlns="{Ns}"><type>A44</type>
            <TimeSeries><currency_Unit.name>EUR</currency_Unit.name><price_Measure_Unit.name>MWH</price_Measure_Unit.name><curveType>A01</curveType>
            <Period><timeInterval><start>2025-10-25T22:00Z</start><end>2025-10-26T02:00Z</end></timeInterval><resolution>PT60M</resolution>
            <Point><position>1</position><price.amount>81.5</price.amount></Point><Point><position>2</position><price.amount>-3.2</price.amount></Point>
            <Point><position>3</position><price.amount>0</price.amount></Point><Point><position>4</position><price.amount>120.04</price.amount></Point>
            </Period></TimeSeries></Publication_MarketDocument>
            """);
        yield return Encoding.UTF8.GetBytes($"""
            <Publication_MarketDocument xmlns="{Ns}"><type>A44</type>
            <TimeSeries><currency_Unit.name>EUR</currency_Unit.name><price_Measure_Unit.name>MWH</price_Measure_Unit.name><curveType>A03</curveType>
            <Period><timeInterval><start>2025-03-29T23:00Z</start><end>2025-03-30T01:00Z</end></timeInterval><resolution>PT15M</resolution>
            <Point><position>1</position><price.amount>55</price.amount></Point><Point><position>4</position><price.amount>61.25</price.amount></Point>
            </Period>
            <Period><timeInterval><start>2025-03-29T23:00Z</start><end>2025-03-30T01:00Z</end></timeInterval><resolution>PT30M</resolution>
            <Point><position>1</position><price.amount>55</price.amount></Point></Period></TimeSeries></Publication_MarketDocument>
            """);
        yield return Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">
            <Reason><code>999</code><text>No matching data found</text></Reason></Acknowledgement_MarketDocument>
            """);
    }
}
