using System.Globalization;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Replays a price file in one of the formats of <c>../shared/data/prices/</c>: hourly local market time
/// <code>
/// Datetime,Price (EUR/MWh)
/// 2024-01-01 00:00:00,0.1
/// </code>
/// (a <c>Price (ct/kWh)</c> header is read as ct/kWh), or 15-minute products with their UTC offset
/// <code>
/// time,price_eur_mwh
/// 2025-10-26 02:45:00+02:00,2.4
/// 2025-10-26 02:00:00+01:00,2.89
/// </code>
/// whose times are read as UTC instants, so that the repeated hour of a clock change is a continuous 100-quarter-hour
/// day (the file is then replayed on UTC market time). Each row holds <c>priceFeed.intervalSeconds</c>; rows closer than
/// that (a 15-minute file read as hourly) stop the load with an error naming the line. Every bad row (wrong column count,
/// unparsable time or number, out of bounds, a time outside the market window 2000-01-01 .. 2100-01-01, not after
/// the previous row) is rejected with a log line and a counter; the
/// good rows are kept. A gap in the file (2024-01-31 is missing in DE-LU 2024, 2025-10-21 in the 15-minute file) leaves
/// those intervals without a price, so the last record expires and the safe policy applies, as it would with a real
/// feed outage.
/// </summary>
internal sealed class CsvPriceFeed : IPriceFeed
{
    private readonly PriceQuote[] _quotes;

    private CsvPriceFeed(PriceQuote[] quotes) => _quotes = quotes;

    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    public bool KnowsDayAhead => true;

    /// <inheritdoc/>
    public ushort SourceId => 2;

    /// <summary>The accepted records, in time order.</summary>
    public IReadOnlyList<PriceQuote> Quotes => _quotes;

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> when the file as a whole is unusable.</summary>
    public static CsvPriceFeed Load(string path, TimeSpan interval, PriceValidator validator, Logger log)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileName(path), interval, validator, log);
    }

    /// <summary>Parses CSV text; bad rows are rejected and counted, a bad header or no good row throws.</summary>
    public static CsvPriceFeed Parse(TextReader reader, string fileName, TimeSpan interval, PriceValidator validator, Logger log)
    {
        string? header = reader.ReadLine();
        double scale = header?.Trim() switch
        {
            "Datetime,Price (EUR/MWh)" => 0.1,
            "Datetime,Price (ct/kWh)" => 1.0,
            "time,price_eur_mwh" => 0.1,
            _ => throw new InvalidDataException(
                $"{fileName} line 1: expected the header 'Datetime,Price (EUR/MWh)', 'Datetime,Price (ct/kWh)' or 'time,price_eur_mwh', found '{header}'"),
        };

        var quotes = new List<PriceQuote>(8784);
        DateTime previous = DateTime.MinValue;
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            if (!TryParseRow(line, scale, interval, out PriceQuote quote, out string? problem, out PriceRejection rowReason))
            {
                validator.Count(rowReason);
                log.Warning($"price feed {fileName} line {lineNumber}: rejected: {problem}");
                continue;
            }
            if (quote.IntervalStart > previous && quote.IntervalStart < previous + interval)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{fileName} line {lineNumber}: rows {(quote.IntervalStart - previous).TotalMinutes:0} minutes apart, but each holds {interval.TotalMinutes:0} minutes (set priceFeed.intervalSeconds to the file's interval)"));
            }
            if (quote.IntervalStart <= previous)
            {
                validator.Count(PriceRejection.OutOfOrder);
                log.Warning($"price feed {fileName} line {lineNumber}: rejected: {quote.IntervalStart:yyyy-MM-dd HH:mm:ss} is not after the previous row");
                continue;
            }
            if (!validator.TryAccept(quote, out PriceRejection reason))
            {
                log.Warning($"price feed {fileName} line {lineNumber}: rejected: {Describe(reason, quote.CtPerKwh, validator)}");
                continue;
            }
            previous = quote.IntervalStart;
            quotes.Add(quote);
        }
        if (quotes.Count == 0)
        {
            throw new InvalidDataException($"{fileName}: no valid price row");
        }
        return new CsvPriceFeed([.. quotes]);
    }

    /// <summary>
    /// The interval of a price file: the gap between its first two readable rows (1 minute to 1 day), 1 hour when the file
    /// has fewer rows. Lets a caller set <c>priceFeed.intervalSeconds</c> from the file (the demo does).
    /// </summary>
    public static TimeSpan DetectInterval(string path)
    {
        using var reader = new StreamReader(path);
        reader.ReadLine();
        DateTime? first = null;
        for (int i = 0; i < 100 && reader.ReadLine() is string line; i++)
        {
            if (!TryParseRow(line, 1, TimeSpan.FromHours(1), out PriceQuote q, out _, out _))
            {
                continue;
            }
            if (first is DateTime f)
            {
                TimeSpan gap = q.IntervalStart - f;
                return gap >= TimeSpan.FromMinutes(1) && gap <= TimeSpan.FromDays(1) ? gap : TimeSpan.FromHours(1);
            }
            first = q.IntervalStart;
        }
        return TimeSpan.FromHours(1);
    }

    /// <summary>Explains a rejection for the log.</summary>
    internal static string Describe(PriceRejection reason, double ctPerKwh, PriceValidator validator) => reason switch
    {
        PriceRejection.NotFinite => "price is not a finite number",
        PriceRejection.BelowMinimum => string.Create(CultureInfo.InvariantCulture, $"{ctPerKwh} ct/kWh is below the minimum {validator.MinCtPerKwh}"),
        PriceRejection.AboveMaximum => string.Create(CultureInfo.InvariantCulture, $"{ctPerKwh} ct/kWh is above the maximum {validator.MaxCtPerKwh}"),
        PriceRejection.BadInterval => "the interval is empty, reversed or longer than a day",
        PriceRejection.Implausible => "the interval is outside the plausibility window",
        _ => reason.ToString(),
    };

    private static bool TryParseRow(string line, double scale, TimeSpan interval, out PriceQuote quote, out string? problem, out PriceRejection reason)
    {
        quote = default;
        reason = PriceRejection.Malformed;
        ReadOnlySpan<char> span = line.AsSpan().TrimEnd('\r');
        int comma = span.IndexOf(',');
        if (comma < 0 || span[(comma + 1)..].Contains(','))
        {
            problem = "expected 2 columns";
            return false;
        }
        if (!Carbon.CarbonCsv.TryParseTime(span[..comma].Trim().ToString(), out DateTime start))
        {
            problem = $"'{span[..comma].ToString()}' is not a time 'yyyy-MM-dd HH:mm:ss' (optionally with a UTC offset)";
            return false;
        }
        if (!PriceValidator.InMarketWindow(start) || start > PriceValidator.LatestMarketTime - interval)
        {
            reason = PriceRejection.Implausible;
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{start:yyyy-MM-dd HH:mm:ss} is outside the plausibility window {PriceValidator.EarliestMarketTime:yyyy-MM-dd} .. {PriceValidator.LatestMarketTime:yyyy-MM-dd}");
            return false;
        }
        if (!double.TryParse(span[(comma + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double raw))
        {
            problem = $"'{span[(comma + 1)..].ToString()}' is not a number";
            return false;
        }
        if (start > DateTime.MaxValue - interval)
        {
            problem = $"the interval starting {start:yyyy-MM-dd HH:mm:ss} would end after year 9999";
            return false;
        }
        quote = new PriceQuote(start, start + interval, raw * scale);
        problem = null;
        return true;
    }

    /// <summary>The record covering <paramref name="marketNow"/>, or null (before, after, or in a gap).</summary>
    public PriceQuote? At(DateTime marketNow)
    {
        int lo = 0, hi = _quotes.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_quotes[mid].IntervalStart <= marketNow)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return hi >= 0 && _quotes[hi].Covers(marketNow) ? _quotes[hi] : null;
    }

    /// <inheritdoc/>
    public ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken) => ValueTask.FromResult(At(marketNow));

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
