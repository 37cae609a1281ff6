using System.Globalization;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds.Carbon;

/// <summary>
/// Reads a carbon-intensity series (gCO2eq/kWh) from CSV: the first column the time, <c>yyyy-MM-dd HH:mm:ss</c> (market
/// time) or with a UTC offset (<c>+01:00</c>, read as the UTC instant), and a named column the intensity, e.g.
/// <c>../shared/data/carbon/DE-LU_2024_hourly.csv</c> (<c>Datetime (UTC),…,Carbon Intensity gCO₂eq/kWh (direct),…</c>)
/// or a two-column <c>time,g_co2_per_kwh</c> file. A row holds until the next one, at most <c>maxInterval</c>, so hourly
/// and sub-hourly series both work. A bad row (column count, time, number, outside 0..2000 g/kWh, not after the one
/// before) is skipped with a log line naming the file and line; a bad header, or no good row, throws.
/// </summary>
internal static class CarbonCsv
{
    /// <summary>Column read when none is configured, in this order.</summary>
    public static readonly string[] DefaultColumns = ["Carbon Intensity gCO₂eq/kWh (direct)", "g_co2_per_kwh"];

    /// <summary>Highest plausible intensity, g/kWh (lignite is about 1,100).</summary>
    public const double MaxGramsPerKwh = 2000;

    /// <summary>Most rows read (a year of 5-minute values).</summary>
    public const int MaxRows = 110_000;

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static List<CarbonReading> Load(string path, string column, TimeSpan maxInterval, Logger log)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileName(path), column, maxInterval, log, out _);
    }

    /// <summary>Parses CSV text; <paramref name="rejected"/> counts the rows skipped.</summary>
    public static List<CarbonReading> Parse(TextReader reader, string fileName, string column, TimeSpan maxInterval, Logger log, out int rejected)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(log);
        rejected = 0;
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{fileName}: the file is empty");
        string[] names = header.Split(',');
        int index = column.Length > 0 ? Array.IndexOf(names, column) : -1;
        for (int i = 0; index < 0 && column.Length == 0 && i < DefaultColumns.Length; i++)
        {
            index = Array.IndexOf(names, DefaultColumns[i]);
        }
        if (index <= 0)
        {
            throw new InvalidDataException($"{fileName} line 1: no intensity column '{(column.Length > 0 ? column : string.Join("' or '", DefaultColumns))}' after the time column");
        }

        var rows = new List<(DateTime Time, double Kg)>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            if (rows.Count >= MaxRows)
            {
                throw new InvalidDataException($"{fileName}: more than {MaxRows} rows");
            }
            string[] cells = line.TrimEnd('\r').Split(',');
            string? problem = null;
            DateTime time = default;
            double grams = 0;
            if (cells.Length != names.Length)
            {
                problem = $"expected {names.Length} columns, found {cells.Length}";
            }
            else if (!TryParseTime(cells[0].Trim(), out time))
            {
                problem = $"'{cells[0]}' is not a time 'yyyy-MM-dd HH:mm:ss' (optionally with a UTC offset)";
            }
            else if (!double.TryParse(cells[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out grams) || !(grams >= 0 && grams <= MaxGramsPerKwh))
            {
                problem = $"'{cells[index]}' is not an intensity from 0 to {MaxGramsPerKwh} g/kWh";
            }
            else if (rows.Count > 0 && time <= rows[^1].Time)
            {
                problem = $"{time:yyyy-MM-dd HH:mm:ss} is not after the previous row";
            }
            if (problem is not null)
            {
                rejected++;
                log.Warning($"carbon {fileName} line {lineNumber}: skipped: {problem}");
                continue;
            }
            rows.Add((time, grams / 1000.0));
        }
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{fileName}: no valid intensity row");
        }
        var readings = new List<CarbonReading>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            DateTime end = rows[i].Time + maxInterval;
            if (i + 1 < rows.Count && rows[i + 1].Time < end)
            {
                end = rows[i + 1].Time;
            }
            readings.Add(new CarbonReading(rows[i].Time, end, rows[i].Kg));
        }
        return readings;
    }

    /// <summary>Parses <c>yyyy-MM-dd HH:mm:ss</c> (as is) or with a UTC offset (as the UTC instant).</summary>
    internal static bool TryParseTime(string text, out DateTime time)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
        {
            return true;
        }
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset withOffset))
        {
            time = DateTime.SpecifyKind(withOffset.UtcDateTime, DateTimeKind.Unspecified);
            return true;
        }
        time = default;
        return false;
    }
}
