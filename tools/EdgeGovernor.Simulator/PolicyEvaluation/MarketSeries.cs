using System.Globalization;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// A series read from a CSV onto a regular axis of UTC instants: one value per market interval (5, 15, 30 or 60
/// minutes, detected from the timestamps) from <see cref="Start"/>, with the gaps that were filled.
/// </summary>
/// <remarks>
/// <para>Timestamps: ISO dates with a time (<c>yyyy-MM-dd HH:mm[:ss]</c>, <c>T</c> or space), with a UTC offset
/// (<c>+02:00</c>, <c>-0500</c>) or <c>Z</c>; without one they are UTC if the time column's header says UTC
/// (<c>Datetime (UTC)</c>), else local market time in the given zone. Local time: the clock-change days have
/// 92 and 100 quarter-hours (23 and 25 hours) of instants. A local time that does not exist (the spring-forward
/// hour written anyway, as in files with 24 rows every day) is dropped with a note; a local time that happens twice
/// is the earlier instant at its first row and the later one at its second; written only once, its value also
/// fills the second pass (with a note).</para>
/// <para>Interval: the smallest step between consecutive instants; it must be 5, 15, 30 or 60 minutes, every
/// instant must lie on that grid and every step be a whole number of intervals. A step back or a repeat is an
/// error. A gap of at most <c>maxGapHours</c> is filled with the values one day earlier and reported with file and
/// line; a longer gap, or one within the first day, is an error.</para>
/// </remarks>
public sealed class MarketSeries
{
    private MarketSeries(DateTimeOffset start, int intervalMinutes, double[] values, string currency, IReadOnlyList<string> notes)
    {
        Start = start;
        IntervalMinutes = intervalMinutes;
        Values = values;
        Currency = currency;
        Notes = notes;
    }

    /// <summary>Instant (UTC) at which the first value's interval starts.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Length of an interval (minutes: 5, 15, 30 or 60).</summary>
    public int IntervalMinutes { get; }

    /// <summary>One value per interval.</summary>
    public double[] Values { get; }

    /// <summary>Currency of a price series (ISO code such as EUR or USD); empty for other series.</summary>
    public string Currency { get; }

    /// <summary>Warnings (filled gaps, dropped or repeated local times), each naming file and line.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Start of interval <paramref name="i"/>.</summary>
    public DateTimeOffset TimeOf(int i) => Start.AddMinutes((double)i * IntervalMinutes);

    /// <summary>Index of the interval containing <paramref name="instant"/> (may be outside 0..Count-1).</summary>
    public long IndexAt(DateTimeOffset instant) => (long)Math.Floor((instant - Start).TotalMinutes / IntervalMinutes);

    /// <summary>
    /// Reads a price CSV (c/kWh of <see cref="Currency"/>): a time column (<c>time</c>, <c>Datetime…</c>,
    /// <c>timestamp</c>) and a price column naming currency and energy unit: <c>price_eur_mwh</c>,
    /// <c>price_usd_kwh</c>, <c>Price (EUR/MWh)</c>, <c>price (c/kWh)</c> (EUR cents), or a <c>price</c> column with a
    /// <c>unit</c> column (<c>USD/MWh</c>, the same on every row).
    /// </summary>
    public static MarketSeries ReadPrices(string path, string text, TimeZoneInfo zone, int maxGapHours = 24)
    {
        string currency = string.Empty;
        MarketSeries s = Read(path, text, zone, maxGapHours, header =>
        {
            int tc = TimeColumn(path, header);
            int vc = CsvLine.FindColumn(path, header, c => c.StartsWith("price", StringComparison.OrdinalIgnoreCase), "price_eur_mwh");
            int uc = Array.FindIndex(header, c => c.Trim().Equals("unit", StringComparison.OrdinalIgnoreCase));
            string unit = UnitOf(header[vc]);
            if (unit.Length == 0 && uc < 0)
            {
                throw new InputFormatException(path, 1, $"unknown price unit '' in column '{header[vc]}' (name currency and energy in the column, e.g. price_eur_mwh, price_usd_kwh, 'Price (EUR/MWh)', or add a 'unit' column)");
            }

            return new Columns(tc, vc, uc, unit.Length > 0 ? PriceScale(path, 1, unit, header[vc], out currency) : double.NaN);
        }, (line, unitField) =>
        {
            double scale = PriceScale(path, line, unitField, "unit", out string c);
            if (currency.Length > 0 && c != currency)
            {
                throw new InputFormatException(path, line, $"unit '{unitField}' changes the currency from {currency} (one currency per file)");
            }

            currency = c;
            return scale;
        });
        return new MarketSeries(s.Start, s.IntervalMinutes, s.Values, currency, s.Notes);
    }

    /// <summary>Reads price CSV file <paramref name="path"/> (see <see cref="ReadPrices(string, string, TimeZoneInfo, int)"/>).</summary>
    public static MarketSeries ReadPrices(string path, TimeZoneInfo zone, int maxGapHours = 24) => ReadPrices(path, CsvLine.ReadFile(path), zone, maxGapHours);

    /// <summary>Reads a carbon-intensity CSV (Electricity Maps export, hourly or sub-hourly): a <c>Datetime</c> column and a <c>gCO2eq/kWh (direct)</c> (or <c>(LCA)</c>) column; returns g/kWh.</summary>
    public static MarketSeries ReadCarbon(string path, string text, TimeZoneInfo zone, bool lifeCycle = false, int maxGapHours = 24) =>
        Read(path, text, zone, maxGapHours, header =>
        {
            int tc = TimeColumn(path, header);
            string which = lifeCycle ? "(LCA)" : "(direct)";
            int vc = CsvLine.FindColumn(path, header, c => c.Contains("Carbon Intensity", StringComparison.OrdinalIgnoreCase) && c.Contains(which, StringComparison.OrdinalIgnoreCase), $"Carbon Intensity gCO2eq/kWh {which}");
            if (!header[vc].Replace("₂", "2", StringComparison.Ordinal).Contains("gCO2eq/kWh", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputFormatException(path, 1, $"unknown carbon unit in column '{header[vc]}' (known: gCO2eq/kWh)");
            }

            return new Columns(tc, vc, -1, 1.0);
        }, null);

    /// <summary>Reads carbon CSV file <paramref name="path"/> (see <see cref="ReadCarbon(string, string, TimeZoneInfo, bool, int)"/>).</summary>
    public static MarketSeries ReadCarbon(string path, TimeZoneInfo zone, bool lifeCycle = false, int maxGapHours = 24) =>
        ReadCarbon(path, CsvLine.ReadFile(path), zone, lifeCycle, maxGapHours);

    private readonly record struct Columns(int Time, int Value, int Unit, double Scale);

    private static MarketSeries Read(string path, string text, TimeZoneInfo zone, int maxGapHours, Func<string[], Columns> columns, Func<int, string, double>? unitScale)
    {
        var notes = new List<string>();
        using var reader = new StringReader(text);
        string[] header = CsvLine.Header(path, reader);
        Columns col = columns(header);
        bool utcHeader = header[col.Time].Contains("UTC", StringComparison.OrdinalIgnoreCase);
        var rows = new List<(DateTimeOffset At, double Value, int Line)>(40_000);
        DateTime prevLocal = default;
        bool prevAmbiguous = false, secondPass = false;
        foreach ((int lineNo, string[] f) in CsvLine.Rows(path, reader, Math.Max(col.Time, Math.Max(col.Value, col.Unit)) + 1))
        {
            string ts = f[col.Time].Trim();
            if (!double.TryParse(f[col.Value].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new InputFormatException(path, lineNo, $"unparsable value '{f[col.Value]}'");
            }

            double scale = col.Unit >= 0 && unitScale is not null ? unitScale(lineNo, f[col.Unit].Trim()) : col.Scale;
            DateTimeOffset at;
            if (HasOffset(ts))
            {
                if (!DateTimeOffset.TryParseExact(ts, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
                {
                    throw new InputFormatException(path, lineNo, $"unparsable timestamp '{ts}' (expected yyyy-MM-dd HH:mm[:ss] with an offset such as +01:00 or Z)");
                }
            }
            else
            {
                if (!DateTime.TryParseExact(ts, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
                {
                    throw new InputFormatException(path, lineNo, $"unparsable timestamp '{ts}' (expected yyyy-MM-dd HH:mm[:ss], optionally with an offset)");
                }

                if (utcHeader)
                {
                    at = new DateTimeOffset(local, TimeSpan.Zero);
                }
                else if (zone.IsInvalidTime(local))
                {
                    notes.Add($"{path}:{lineNo}: {local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (clock change): row dropped");
                    continue;
                }
                else if (zone.IsAmbiguousTime(local))
                {
                    TimeSpan[] offsets = zone.GetAmbiguousTimeOffsets(local);
                    TimeSpan earlier = offsets.Max(), later = offsets.Min();
                    // The second pass starts where the local time goes back, and lasts while the times stay ambiguous.
                    secondPass = prevAmbiguous && (secondPass || local <= prevLocal);
                    at = new DateTimeOffset(local, secondPass ? later : earlier);
                    prevAmbiguous = true;
                    prevLocal = local;
                }
                else
                {
                    at = new DateTimeOffset(local, zone.GetUtcOffset(local));
                    prevAmbiguous = false;
                    secondPass = false;
                    prevLocal = local;
                }
            }

            rows.Add((at.ToUniversalTime(), v * scale, lineNo));
        }

        if (rows.Count == 0)
        {
            throw new InputFormatException(path, 0, "no data rows");
        }

        int interval = DetectInterval(path, rows);
        int perDay = 1440 / interval;
        var values = new List<double>(rows.Count + perDay);
        values.Add(rows[0].Value);
        for (int k = 1; k < rows.Count; k++)
        {
            (DateTimeOffset at, double v, int line) = rows[k];
            int missing = (int)((at - rows[k - 1].At).TotalMinutes / interval) - 1;
            if (missing > 0)
            {
                if (missing * interval > maxGapHours * 60)
                {
                    throw new InputFormatException(path, line, $"gap of {missing * interval} min before {at:yyyy-MM-dd HH:mm}Z (more than the {maxGapHours} h that may be filled)");
                }

                int repeated = 0;
                for (int m = 0; m < missing; m++)
                {
                    // The second pass of a local hour written once takes the first pass; anything else the day before.
                    DateTimeOffset gapAt = rows[k - 1].At.AddMinutes((m + 1) * interval);
                    DateTime local = TimeZoneInfo.ConvertTime(gapAt, zone).DateTime;
                    int back = !utcHeader && zone.IsAmbiguousTime(local) ? (int)Math.Round(Math.Abs((zone.GetAmbiguousTimeOffsets(local).Max() - zone.GetAmbiguousTimeOffsets(local).Min()).TotalMinutes) / interval) : perDay;
                    repeated += back != perDay ? 1 : 0;
                    if (values.Count < back)
                    {
                        throw new InputFormatException(path, line, $"gap of {missing * interval} min before {at:yyyy-MM-dd HH:mm}Z within the first day (nothing to fill it from)");
                    }

                    values.Add(values[^back]);
                }

                notes.Add(repeated == missing
                    ? $"{path}:{line}: the local time before {TimeZoneInfo.ConvertTime(at, zone):yyyy-MM-dd HH:mm} that happens twice is written once: its values serve both passes ({missing * interval} min)"
                    : $"{path}:{line}: filled a gap of {missing * interval} min before {at:yyyy-MM-dd HH:mm} UTC with the values one day earlier");
            }

            values.Add(v);
        }

        return new MarketSeries(rows[0].At, interval, [.. values], string.Empty, notes);
    }

    private static int DetectInterval(string path, List<(DateTimeOffset At, double Value, int Line)> rows)
    {
        double step = double.PositiveInfinity;
        for (int k = 1; k < rows.Count; k++)
        {
            double d = (rows[k].At - rows[k - 1].At).TotalMinutes;
            if (d <= 0)
            {
                throw new InputFormatException(path, rows[k].Line, $"timestamp {rows[k].At:yyyy-MM-dd HH:mm}Z does not follow {rows[k - 1].At:yyyy-MM-dd HH:mm}Z (repeated or backwards)");
            }

            step = Math.Min(step, d);
        }

        int interval = double.IsInfinity(step) ? 60 : (int)step;
        if (step != interval || !RackSpec.SupportedIntervals.Contains(interval))
        {
            throw new InputFormatException(path, rows[1].Line, $"the series' interval is {step} min; supported: 5, 15, 30 or 60 min");
        }

        foreach ((DateTimeOffset at, _, int line) in rows)
        {
            if (at.Ticks % TimeSpan.FromMinutes(interval).Ticks != 0)
            {
                throw new InputFormatException(path, line, $"timestamp {at:yyyy-MM-dd HH:mm:ss}Z is not on the {interval}-minute grid");
            }
        }

        return interval;
    }

    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm"];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd HH:mm:ssK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-ddTHH:mmK", "yyyy-MM-dd HH:mm:sszz", "yyyy-MM-ddTHH:mm:sszz", "yyyy-MM-dd HH:mm:sszzzz", "yyyy-MM-ddTHH:mm:sszzzz"];

    /// <summary>Whether <paramref name="ts"/> ends in <c>Z</c> or a <c>+hh[:mm]</c>/<c>-hh[:mm]</c> offset after its time.</summary>
    private static bool HasOffset(string ts)
    {
        if (ts.EndsWith('Z') || ts.EndsWith('z'))
        {
            return true;
        }

        int t = Math.Max(ts.IndexOf('T', StringComparison.Ordinal), ts.IndexOf(' ', StringComparison.Ordinal));
        return t > 0 && ts.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

    private static int TimeColumn(string path, string[] header) =>
        CsvLine.FindColumn(path, header, c => c.StartsWith("Datetime", StringComparison.OrdinalIgnoreCase) || c.Equals("time", StringComparison.OrdinalIgnoreCase) || c.Equals("timestamp", StringComparison.OrdinalIgnoreCase) || c.StartsWith("time ", StringComparison.OrdinalIgnoreCase) || c.StartsWith("time_", StringComparison.OrdinalIgnoreCase), "time");

    /// <summary>The unit a price column names: <c>Price (EUR/MWh)</c> gives <c>EUR/MWh</c>, <c>price_usd_kwh</c> gives <c>USD/kWh</c>; empty if none.</summary>
    private static string UnitOf(string column)
    {
        string c = column.Trim();
        int a = c.IndexOf('(', StringComparison.Ordinal);
        int b = c.LastIndexOf(')');
        if (a >= 0 && b > a)
        {
            return c[(a + 1)..b].Trim();
        }

        string[] parts = c.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 ? $"{parts[1]}/{parts[2]}" : string.Empty;
    }

    /// <summary>Factor from <paramref name="unit"/> (currency/MWh, currency/kWh, c/kWh) to hundredths of the currency per kWh.</summary>
    private static double PriceScale(string path, int line, string unit, string column, out string currency)
    {
        string[] p = unit.Split('/');
        string money = p.Length == 2 ? p[0].Trim().ToUpperInvariant() : string.Empty;
        string energy = p.Length == 2 ? p[1].Trim().ToUpperInvariant() : string.Empty;
        if (money is "C" or "CT" or "CENT" or "EUROCENT" && energy == "KWH")
        {
            currency = "EUR";
            return 1;
        }

        if (money.Length == 3 && money.All(char.IsAsciiLetterUpper) && energy is "MWH" or "KWH")
        {
            currency = money;
            return energy == "MWH" ? 0.1 : 100;
        }

        throw new InputFormatException(path, line, $"unknown price unit '{unit}' in column '{column}' (known: <currency>/MWh or <currency>/kWh with a 3-letter currency code such as EUR or USD, or c/kWh)");
    }
}
