using System.Globalization;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// Reads <c>specpower_curves.csv</c>: header
/// <c>server,cpu,idle_w,load10_w,...,load100_w</c>, one server per line, watts in invariant culture.
/// Every row is validated; the first problem is reported with file and line.
/// </summary>
public static class SpecPowerCurveParser
{
    /// <summary>The exact header the parser accepts.</summary>
    public static readonly string[] Header =
        ["server", "cpu", "idle_w", "load10_w", "load20_w", "load30_w", "load40_w", "load50_w", "load60_w", "load70_w", "load80_w", "load90_w", "load100_w"];

    private const double MaxPlausibleWatts = 100_000;

    /// <summary>Loads and validates a curve file.</summary>
    public static IReadOnlyList<SpecPowerCurve> Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Parses and validates curve text; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<SpecPowerCurve> Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new CurveFormatException(source, 1, "empty file: expected the header " + string.Join(',', Header));
        }

        if (!header.TrimEnd('\r').Split(',').SequenceEqual(Header))
        {
            throw new CurveFormatException(source, 1, $"header '{header}' is not '{string.Join(',', Header)}'");
        }

        var curves = new List<SpecPowerCurve>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains('"', StringComparison.Ordinal))
            {
                throw new CurveFormatException(source, lineNumber, "quoted fields are not supported");
            }

            string[] fields = line.Split(',');
            if (fields.Length != Header.Length)
            {
                throw new CurveFormatException(source, lineNumber, $"{fields.Length} fields, expected {Header.Length}");
            }

            string server = fields[0].Trim();
            string cpu = fields[1].Trim();
            if (server.Length == 0)
            {
                throw new CurveFormatException(source, lineNumber, "server name is empty");
            }

            if (!seen.Add(server + "\n" + cpu))
            {
                throw new CurveFormatException(source, lineNumber, $"duplicate server '{server}' with cpu '{cpu}'");
            }

            var watts = new double[SpecPowerCurve.PointCount];
            for (int i = 0; i < watts.Length; i++)
            {
                string field = fields[i + 2].Trim();
                if (!double.TryParse(field, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double w)
                    || !double.IsFinite(w) || w <= 0 || w > MaxPlausibleWatts)
                {
                    throw new CurveFormatException(source, lineNumber, $"{Header[i + 2]} '{field}' is not a power in W (0 < W <= {MaxPlausibleWatts})");
                }

                if (i > 0 && w < watts[i - 1])
                {
                    throw new CurveFormatException(source, lineNumber, $"{Header[i + 2]} {w} W is below {Header[i + 1]} {watts[i - 1]} W: power must not fall as load rises");
                }

                watts[i] = w;
            }

            curves.Add(new SpecPowerCurve(server, cpu, watts));
        }

        if (curves.Count == 0)
        {
            throw new CurveFormatException(source, lineNumber, "no curves after the header");
        }

        return curves;
    }
}
