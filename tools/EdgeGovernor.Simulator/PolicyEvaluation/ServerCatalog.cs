using System.Globalization;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Reads server curves in the format of <c>specpower_curves.csv</c>: <c>server, cpu, idle_w, load10_w ..
/// load100_w</c>, and builds racks from them. Optional columns per row: <c>count, class (web|analytics|batch),
/// throughput_per_h, cap_min_w, cap_max_w, boot_s, boot_wh, protected (true|false), min_on_h, min_off_h,
/// max_cycles_per_day</c>.
/// </summary>
public static class ServerCatalog
{
    private static readonly string[] Optional =
        ["count", "class", "throughput_per_h", "cap_min_w", "cap_max_w", "boot_s", "boot_wh", "protected", "min_on_h", "min_off_h", "max_cycles_per_day"];

    /// <summary>Reads the CSV at <paramref name="path"/>.</summary>
    public static IReadOnlyList<ServerRow> Read(string path) => Parse(path, CsvLine.ReadFile(path));

    /// <summary>Parses CSV text (see <see cref="Read"/>).</summary>
    public static IReadOnlyList<ServerRow> Parse(string path, string text)
    {
        using var reader = new StringReader(text);
        string[] h = CsvLine.Header(path, reader);
        // Before the columns are looked up, so that load100_kw reads as a unit error, not a missing column.
        foreach (string c in h)
        {
            if (c.EndsWith("_kw", StringComparison.OrdinalIgnoreCase) || c.EndsWith("_mw", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputFormatException(path, 1, $"unknown unit in column '{c}' (power columns are in W: *_w)");
            }
        }

        int nameCol = CsvLine.FindColumn(path, h, c => c.Equals("server", StringComparison.OrdinalIgnoreCase), "server");
        var curveCols = new int[PowerCurve.PointCount];
        for (int k = 0; k < PowerCurve.PointCount; k++)
        {
            string want = k == 0 ? "idle_w" : $"load{k * 10}_w";
            curveCols[k] = CsvLine.FindColumn(path, h, c => c.Equals(want, StringComparison.OrdinalIgnoreCase), want);
        }

        var rows = new List<ServerRow>();
        var w = new double[PowerCurve.PointCount];
        foreach ((int lineNo, string[] f) in CsvLine.Rows(path, reader, h.Length))
        {
            for (int k = 0; k < PowerCurve.PointCount; k++)
            {
                if (!double.TryParse(f[curveCols[k]].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out w[k]))
                {
                    throw new InputFormatException(path, lineNo, $"unparsable watts '{f[curveCols[k]]}' in column {h[curveCols[k]]}");
                }
            }

            PowerCurve curve;
            try
            {
                curve = new PowerCurve(w);
            }
            catch (ArgumentException ex)
            {
                throw new InputFormatException(path, lineNo, ex.Message);
            }

            var extra = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string o in Optional)
            {
                int i = Array.FindIndex(h, c => c.Equals(o, StringComparison.OrdinalIgnoreCase));
                if (i >= 0 && f[i].Trim().Length > 0)
                {
                    extra[o] = f[i].Trim();
                }
            }

            string name = f[nameCol].Trim();
            string cpu = Array.FindIndex(h, c => c.Equals("cpu", StringComparison.OrdinalIgnoreCase)) is int ci and >= 0 ? f[ci].Trim() : "";
            rows.Add(new ServerRow(cpu.Length > 0 ? $"{name} ({cpu})" : name, curve, lineNo, extra));
        }

        if (rows.Count == 0)
        {
            throw new InputFormatException(path, 0, "no server rows");
        }

        return rows;
    }
}
