using System.Globalization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Interactive demand shape from a measured power trace in the form of Google's PowerData2019
/// (<c>time</c> in microseconds from the trace start, <c>measured_power_util</c> as a share of capacity):
/// averaged per hour, then mapped linearly onto [<c>low</c>, <c>high</c>] (its minimum to <c>low</c>, its
/// maximum to <c>high</c>), and repeated cyclically over the evaluated period.
/// </summary>
public static class DemandTrace
{
    /// <summary>Reads the trace at <paramref name="path"/> into hourly demand fractions.</summary>
    public static double[] Read(string path, double low = 0.35, double high = 0.95) => Parse(path, CsvLine.ReadFile(path), low, high);

    /// <summary>Parses trace text (see <see cref="Read"/>).</summary>
    public static double[] Parse(string path, string text, double low = 0.35, double high = 0.95)
    {
        using var reader = new StringReader(text);
        string[] h = CsvLine.Header(path, reader);
        int tc = CsvLine.FindColumn(path, h, c => c.Equals("time", StringComparison.OrdinalIgnoreCase), "time");
        int vc = CsvLine.FindColumn(path, h, c => c.Equals("measured_power_util", StringComparison.OrdinalIgnoreCase), "measured_power_util");
        var sums = new List<double>();
        var counts = new List<int>();
        long first = -1, prev = -1;
        foreach ((int lineNo, string[] f) in CsvLine.Rows(path, reader, Math.Max(tc, vc) + 1))
        {
            if (!long.TryParse(f[tc].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long us) || us < 0)
            {
                throw new InputFormatException(path, lineNo, $"unparsable time '{f[tc]}' (microseconds from the trace start)");
            }

            if (!double.TryParse(f[vc].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double u) || !(u >= 0 && u <= 2))
            {
                throw new InputFormatException(path, lineNo, $"unparsable or out-of-range utilisation '{f[vc]}' (share of capacity, 0..2)");
            }

            if (first < 0)
            {
                first = us;
            }
            else if (us <= prev)
            {
                throw new InputFormatException(path, lineNo, $"time {us} does not follow {prev}");
            }
            else if (us - prev > 3_600_000_000L)
            {
                throw new InputFormatException(path, lineNo, $"gap of {(us - prev) / 60e6:F0} min before time {us} (at most one hour is tolerated)");
            }

            prev = us;
            int hour = (int)((us - first) / 3_600_000_000L);
            while (sums.Count <= hour)
            {
                sums.Add(0);
                counts.Add(0);
            }

            sums[hour] += u;
            counts[hour]++;
        }

        if (sums.Count == 0)
        {
            throw new InputFormatException(path, 0, "no data rows");
        }

        var hourly = new double[sums.Count];
        for (int i = 0; i < hourly.Length; i++)
        {
            hourly[i] = counts[i] > 0 ? sums[i] / counts[i] : hourly[Math.Max(0, i - 1)];
        }

        double min = hourly.Min(), max = hourly.Max();
        for (int i = 0; i < hourly.Length; i++)
        {
            hourly[i] = max > min ? low + ((high - low) * (hourly[i] - min) / (max - min)) : (low + high) / 2;
        }

        return hourly;
    }

    /// <summary>Repeats <paramref name="shape"/> to <paramref name="hours"/> hours, starting at its index <paramref name="offset"/>.</summary>
    public static double[] Repeat(double[] shape, int hours, int offset = 0)
    {
        var d = new double[hours];
        for (int i = 0; i < hours; i++)
        {
            d[i] = shape[(offset + i) % shape.Length];
        }

        return d;
    }
}
