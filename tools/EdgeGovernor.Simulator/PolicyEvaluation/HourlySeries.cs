using System.Globalization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// An hourly series read from a CSV: values for consecutive hours from <see cref="Start"/>, with the
/// gaps that were filled.
/// </summary>
/// <remarks>
/// Timestamps carry no zone; they are read as a plain hour axis ("day + hour"), 24 hours a day (the
/// shipped market files are already in that form: no daylight-saving gap or doubled hour). Files written
/// in EU local time (CET/CEST) have two daylight-saving quirks, both handled and reported: the hour
/// 02:00 missing on the last Sunday of March is a one-hour gap, filled like any gap (below); the hour
/// 02:00 written twice on the last Sunday of October is merged into one hour, the mean of the two values.
/// Any other timestamp that repeats or goes back is an error. A gap of at most <c>maxGapHours</c> hours
/// (2024-01-31 is missing from DE-LU 2024) is filled with the values 24 hours earlier and reported; a
/// longer gap, or one in the first day, is an error. Timestamps must fall on the hour. A time column whose
/// header says UTC (<see cref="Utc"/>) marks a UTC axis; <see cref="CarbonAlignment"/> maps it onto local market time.
/// </remarks>
public sealed class HourlySeries
{
    private HourlySeries(DateTime start, double[] values, IReadOnlyList<string> notes, bool utc)
    {
        Start = start;
        Values = values;
        Notes = notes;
        Utc = utc;
    }

    /// <summary>Timestamp of the first value (hour axis, no zone).</summary>
    public DateTime Start { get; }

    /// <summary>Whether the time column's header says UTC (e.g. <c>Datetime (UTC)</c>): the hour axis is then UTC, else it has no zone.</summary>
    public bool Utc { get; }

    /// <summary>One value per hour.</summary>
    public double[] Values { get; }

    /// <summary>Warnings (filled gaps), each naming file and line.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Timestamp of value <paramref name="i"/>.</summary>
    public DateTime TimeOf(int i) => Start.AddHours(i);

    /// <summary>Index of the hour starting at <paramref name="time"/>, or -1 if outside.</summary>
    public int IndexOf(DateTime time)
    {
        double h = (time - Start).TotalHours;
        return h >= 0 && h < Values.Length && h == Math.Floor(h) ? (int)h : -1;
    }

    /// <summary>Reads a series: <paramref name="timeColumn"/> and <paramref name="valueColumn"/> name the columns (a header must match); <paramref name="convert"/> maps a parsed value.</summary>
    internal static HourlySeries Read(string path, string text, Func<string[], (int Time, int Value, double Scale)> columns, int maxGapHours)
    {
        var values = new List<double>(9000);
        var notes = new List<string>();
        using var reader = new StringReader(text);
        string[] header = CsvLine.Header(path, reader);
        (int tc, int vc, double scale) = columns(header);
        bool utc = header[tc].Contains("UTC", StringComparison.OrdinalIgnoreCase);
        DateTime start = default;
        DateTime prev = default;
        DateTime merged = default;
        foreach ((int lineNo, string[] f) in CsvLine.Rows(path, reader, Math.Max(tc, vc) + 1))
        {
            if (!DateTime.TryParseExact(f[tc].Trim(), ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime ts))
            {
                throw new InputFormatException(path, lineNo, $"unparsable timestamp '{f[tc]}' (expected yyyy-MM-dd HH:mm:ss)");
            }

            if (ts.Minute != 0 || ts.Second != 0)
            {
                throw new InputFormatException(path, lineNo, $"timestamp {ts:yyyy-MM-dd HH:mm:ss} is not on the hour (only hourly series are supported)");
            }

            if (!double.TryParse(f[vc].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new InputFormatException(path, lineNo, $"unparsable value '{f[vc]}'");
            }

            if (values.Count == 0)
            {
                start = ts;
            }
            else
            {
                double step = (ts - prev).TotalHours;
                if (step == 0 && IsSummerTimeEnd(ts) && ts != merged)
                {
                    values[^1] = (values[^1] + (v * scale)) / 2;
                    merged = ts;
                    notes.Add($"{path}:{lineNo}: merged the hour {ts:yyyy-MM-dd HH:mm} written twice (end of summer time) into one, the mean of both values");
                    continue;
                }

                if (step <= 0)
                {
                    throw new InputFormatException(path, lineNo, $"timestamp {ts:yyyy-MM-dd HH:mm} does not follow {prev:yyyy-MM-dd HH:mm} (repeated or backwards hour; only the hour 02:00 of the last Sunday of October may appear twice)");
                }

                int missing = (int)step - 1;
                if (missing > 0)
                {
                    if (missing > maxGapHours)
                    {
                        throw new InputFormatException(path, lineNo, $"gap of {missing} h before {ts:yyyy-MM-dd HH:mm} (more than the {maxGapHours} h that may be filled)");
                    }

                    if (values.Count < 24)
                    {
                        throw new InputFormatException(path, lineNo, $"gap of {missing} h before {ts:yyyy-MM-dd HH:mm} within the first day (nothing to fill it from)");
                    }

                    for (int k = 0; k < missing; k++)
                    {
                        values.Add(values[^24]);
                    }

                    notes.Add($"{path}:{lineNo}: filled a gap of {missing} h before {ts:yyyy-MM-dd HH:mm} with the values 24 h earlier");
                }
            }

            values.Add(v * scale);
            prev = ts;
        }

        if (values.Count == 0)
        {
            throw new InputFormatException(path, 0, "no data rows");
        }

        return new HourlySeries(start, [.. values], notes, utc);
    }

    /// <summary>02:00 on the last Sunday of October: the hour EU local time (CET/CEST) goes through twice.</summary>
    private static bool IsSummerTimeEnd(DateTime ts) =>
        ts.Month == 10 && ts.DayOfWeek == DayOfWeek.Sunday && ts.Day > 31 - 7 && ts.Hour == 2;

    /// <summary>Reads a price CSV: a <c>Datetime</c> column and a <c>Price (unit)</c> column; returns c/kWh.</summary>
    /// <remarks>Units: EUR/MWh (x0.1), EUR/kWh (x100), c/kWh or ct/kWh (x1). Anything else is an error.</remarks>
    public static HourlySeries ReadPrices(string path, int maxGapHours = 24) => ReadPrices(path, ReadFile(path), maxGapHours);

    /// <summary>Reads price CSV text (see <see cref="ReadPrices(string, int)"/>).</summary>
    public static HourlySeries ReadPrices(string path, string text, int maxGapHours = 24) =>
        Read(path, text, h =>
        {
            int tc = FindColumn(path, h, c => c.StartsWith("Datetime", StringComparison.OrdinalIgnoreCase) || c.Equals("time", StringComparison.OrdinalIgnoreCase), "Datetime");
            int vc = FindColumn(path, h, c => c.StartsWith("Price", StringComparison.OrdinalIgnoreCase), "Price (EUR/MWh)");
            string unit = UnitOf(h[vc]);
            double scale = unit.ToUpperInvariant() switch
            {
                "EUR/MWH" => 0.1,
                "EUR/KWH" => 100,
                "C/KWH" or "CT/KWH" or "CENT/KWH" or "EUROCENT/KWH" => 1,
                _ => throw new InputFormatException(path, 1, $"unknown price unit '{unit}' in column '{h[vc]}' (known: EUR/MWh, EUR/kWh, c/kWh)"),
            };
            return (tc, vc, scale);
        }, maxGapHours);

    /// <summary>Reads a carbon-intensity CSV (Electricity Maps export): a <c>Datetime</c> column and a <c>gCO2eq/kWh (direct)</c> (or <c>(LCA)</c>) column; returns g/kWh.</summary>
    public static HourlySeries ReadCarbon(string path, bool lifeCycle = false, int maxGapHours = 24) => ReadCarbon(path, ReadFile(path), lifeCycle, maxGapHours);

    /// <summary>Reads carbon CSV text (see <see cref="ReadCarbon(string, bool, int)"/>).</summary>
    public static HourlySeries ReadCarbon(string path, string text, bool lifeCycle = false, int maxGapHours = 24) =>
        Read(path, text, h =>
        {
            int tc = FindColumn(path, h, c => c.StartsWith("Datetime", StringComparison.OrdinalIgnoreCase), "Datetime (UTC)");
            string which = lifeCycle ? "(LCA)" : "(direct)";
            int vc = FindColumn(path, h, c => c.Contains("Carbon Intensity", StringComparison.OrdinalIgnoreCase) && c.Contains(which, StringComparison.OrdinalIgnoreCase), $"Carbon Intensity gCO2eq/kWh {which}");
            string unit = h[vc].Replace("₂", "2", StringComparison.Ordinal);
            if (!unit.Contains("gCO2eq/kWh", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputFormatException(path, 1, $"unknown carbon unit in column '{h[vc]}' (known: gCO2eq/kWh)");
            }

            return (tc, vc, 1.0);
        }, maxGapHours);

    internal static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, $"cannot read: {ex.Message}");
        }
    }

    internal static int FindColumn(string path, string[] header, Func<string, bool> match, string expected)
    {
        for (int i = 0; i < header.Length; i++)
        {
            if (match(header[i].Trim()))
            {
                return i;
            }
        }

        throw new InputFormatException(path, 1, $"missing column '{expected}' (header: {string.Join(",", header)})");
    }

    private static string UnitOf(string column)
    {
        int a = column.IndexOf('(', StringComparison.Ordinal);
        int b = column.LastIndexOf(')');
        return a >= 0 && b > a ? column[(a + 1)..b].Trim() : string.Empty;
    }
}
