using System.Globalization;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A server's wall power at active idle and at 10 %..100 % load (SPECpower_ssj2008 style), with linear
/// interpolation between the published points.
/// </summary>
public sealed class SpecPowerCurve
{
    /// <summary>Number of points: active idle, then 10 % steps to 100 %.</summary>
    public const int PointCount = 11;

    private readonly double[] _watts;

    /// <summary>Creates a curve; <paramref name="watts"/> holds <see cref="PointCount"/> non-decreasing positive values.</summary>
    public SpecPowerCurve(string server, string cpu, IReadOnlyList<double> watts)
    {
        ArgumentException.ThrowIfNullOrEmpty(server);
        ArgumentNullException.ThrowIfNull(watts);
        if (watts.Count != PointCount)
        {
            throw new ArgumentException($"a curve has {PointCount} points, got {watts.Count}", nameof(watts));
        }

        for (int i = 0; i < PointCount; i++)
        {
            if (!double.IsFinite(watts[i]) || watts[i] <= 0 || (i > 0 && watts[i] < watts[i - 1]))
            {
                throw new ArgumentException($"point {i} ({watts[i]} W) must be positive and not below the previous point", nameof(watts));
            }
        }

        Server = server;
        Cpu = cpu ?? string.Empty;
        _watts = [.. watts];
    }

    /// <summary>Server model.</summary>
    public string Server { get; }

    /// <summary>CPU, empty when not published.</summary>
    public string Cpu { get; }

    /// <summary>Server and CPU, for logs.</summary>
    public string DisplayName => Cpu.Length == 0 ? Server : $"{Server} ({Cpu})";

    /// <summary>Active idle power (0 % load).</summary>
    public double IdleWatts => _watts[0];

    /// <summary>Power at 100 % load.</summary>
    public double MaxWatts => _watts[PointCount - 1];

    /// <summary>The published points.</summary>
    public IReadOnlyList<double> Points => _watts;

    /// <summary>Power at <paramref name="utilization"/> (0..1, clamped).</summary>
    public double WattsAt(double utilization)
    {
        double x = Math.Clamp(double.IsNaN(utilization) ? 0 : utilization, 0, 1) * (PointCount - 1);
        int i = Math.Min((int)x, PointCount - 2);
        double f = x - i;
        return _watts[i] + ((_watts[i + 1] - _watts[i]) * f);
    }

    /// <summary>The highest utilization whose power does not exceed <paramref name="watts"/> (0 below idle, 1 above max).</summary>
    public double UtilizationAt(double watts)
    {
        if (watts <= _watts[0])
        {
            return 0;
        }

        for (int i = 1; i < PointCount; i++)
        {
            if (watts < _watts[i])
            {
                double span = _watts[i] - _watts[i - 1];
                double f = span <= 0 ? 0 : (watts - _watts[i - 1]) / span;
                return (i - 1 + f) / (PointCount - 1);
            }
        }

        return 1;
    }
}

/// <summary>A curve file is malformed: <see cref="Source"/> and <see cref="Line"/> say where.</summary>
public sealed class CurveFormatException(string source, int line, string message)
    : FormatException($"{source}:{line}: {message}")
{
    /// <summary>The file (or other source name).</summary>
    public string File { get; } = source;

    /// <summary>1-based line number.</summary>
    public int Line { get; } = line;
}

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
