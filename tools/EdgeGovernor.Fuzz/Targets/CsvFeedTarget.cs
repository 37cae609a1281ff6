using System.Text;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Price CSV files through <see cref="CsvPriceFeed.Parse"/> (header, every row, bounds of the example configuration),
/// then lookups at, between and around the accepted rows. A file unusable as a whole is refused with
/// <see cref="InvalidDataException"/>, the documented result; anything else escaping is a finding.
/// </summary>
internal sealed class CsvFeedTarget : IFuzzTarget
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private Logger? _log;

    public string Name => "csv";

    public string Description => "CSV price feed rows (CsvPriceFeed.Parse, At)";

    public void Run(ReadOnlySpan<byte> input)
    {
        _log ??= new Logger("fuzz", LogLevel.Debug, TextWriter.Null);
        var validator = new PriceValidator(-50, 400);
        using var reader = new StreamReader(new MemoryStream(input.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        CsvPriceFeed feed;
        try
        {
            feed = CsvPriceFeed.Parse(reader, "fuzz.csv", Interval, validator, _log);
        }
        catch (InvalidDataException)
        {
            return;
        }
        IReadOnlyList<PriceQuote> quotes = feed.Quotes;
        for (int i = 0; i < quotes.Count && i < 64; i++)
        {
            PriceQuote q = quotes[i];
            if (i > 0 && q.IntervalStart <= quotes[i - 1].IntervalStart)
            {
                throw new InvalidOperationException($"row {i} is not after the row before it");
            }
            if (feed.At(q.IntervalStart) is not { } found || found.IntervalStart != q.IntervalStart)
            {
                throw new InvalidOperationException($"the row starting {q.IntervalStart:O} is not found at its own start");
            }
            if (q.IntervalStart > DateTime.MinValue)
            {
                feed.At(q.IntervalStart.AddTicks(-1));
            }
            feed.At(q.IntervalEnd);
        }
        feed.At(DateTime.MinValue);
        feed.At(DateTime.MaxValue);
    }

    public IEnumerable<byte[]> Seeds()
    {
        string prices = Path.Combine(FuzzPaths.Shared, "data", "prices");
        // The first rows of each real file (the 15-minute one has another header, refused as a whole).
        foreach (string file in Directory.GetFiles(prices, "*.csv").Order(StringComparer.Ordinal))
        {
            yield return Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(file).Take(30)) + "\n");
        }
        yield return "Datetime,Price (ct/kWh)\r\n2024-03-31 01:00:00,8.5\r\n2024-03-31 03:00:00,-1.25\r\n\r\n2024-03-31 02:00:00,9\r\n2024-04-01 00:00:00,1e3\r\n2024-04-02 00:00:00,NaN\r\n2024-04-03 00:00:00,4,5\r\n"u8.ToArray();
    }
}
