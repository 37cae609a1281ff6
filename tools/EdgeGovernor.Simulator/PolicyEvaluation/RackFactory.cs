using System.Globalization;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Builds the evaluation rack from server curves. Default roles cycle per slot: <c>web</c> (interactive,
/// 0.04 EUR/unit, sensitivity 0.5, protected), <c>analytics</c> (interactive, 0.025 EUR/unit, CPU-bound),
/// <c>batch</c> (deferrable, 0.02 EUR/unit, CPU-bound, 8 h of work released daily at 06:00, due 24 h later).
/// Default server settings: 1 unit/h at full load, caps from idle + 20 % of the dynamic range to full load,
/// boot 180 s and 6 % of an hour at full power, minimum 2 h on and 1 h off, 2 power-offs a day.
/// </summary>
public static class RackFactory
{
    /// <summary>The job classes, in the order the servers' class indices use.</summary>
    public static IReadOnlyList<JobClass> DefaultClasses { get; } =
    [
        JobClass.Interactive("web", 0.04, 0.5),
        JobClass.Interactive("analytics", 0.025, 1.0),
        new JobClass("batch", 0.02, 1.0, Deferrable: true, DailySlots: 8, ReleaseHourOfDay: 6, DeadlineHours: 24, MissPenaltyEurPerUnit: 5),
    ];

    /// <summary>Builds a rack from <paramref name="rows"/> planning at <paramref name="intervalMinutes"/>-minute intervals.</summary>
    public static RackSpec Build(IReadOnlyList<ServerRow> rows, RackOptions options, string path, int intervalMinutes = 60)
    {
        var specs = new List<ServerSpec>();
        bool counted = rows.Any(r => r.Extra.ContainsKey("count"));
        var perRow = new ServerSpec[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            // One spec per (row, role); identical specs share the optimisers' work.
            perRow[r] = new ServerSpec[3];
            for (int role = 0; role < 3; role++)
            {
                perRow[r][role] = Spec(rows[r], role, path);
            }
        }

        if (counted)
        {
            for (int r = 0; r < rows.Count; r++)
            {
                int count = rows[r].Extra.TryGetValue("count", out string? c) ? Int(rows[r], "count", c, path) : 1;
                for (int k = 0; k < count; k++)
                {
                    specs.Add(perRow[r][RoleOf(rows[r], specs.Count, path)]);
                }
            }
        }
        else
        {
            for (int i = 0; i < options.Servers; i++)
            {
                int r = i % rows.Count;
                specs.Add(perRow[r][RoleOf(rows[r], i, path)]);
            }
        }

        double full = specs.Sum(s => s.Curve.MaxWatts);
        double thermal = options.ThermalLimitWatts > 0 ? options.ThermalLimitWatts : 0.9 * full;
        double budget = options.BudgetWatts > 0 ? options.BudgetWatts : (0.8 * full * (1 + options.FanWattsPerItWatt)) + options.FanMinWatts;
        try
        {
            return new RackSpec(specs, DefaultClasses, budget, thermal, options.FanMinWatts, options.FanWattsPerItWatt, intervalMinutes);
        }
        catch (ArgumentException ex)
        {
            throw new InputFormatException(path, 0, ex.Message);
        }
    }

    private static int RoleOf(ServerRow row, int slot, string path)
    {
        if (!row.Extra.TryGetValue("class", out string? c))
        {
            return slot % 3;
        }

        return c.ToLowerInvariant() switch
        {
            "web" => 0,
            "analytics" => 1,
            "batch" => 2,
            _ => throw new InputFormatException(path, row.Line, $"unknown class '{c}' (known: web, analytics, batch)"),
        };
    }

    private static ServerSpec Spec(ServerRow row, int role, string path)
    {
        PowerCurve curve = row.Curve;
        double capMin = Dbl(row, "cap_min_w", curve.IdleWatts + (0.2 * (curve.MaxWatts - curve.IdleWatts)), path);
        double capMax = Dbl(row, "cap_max_w", curve.MaxWatts, path);
        double bootS = Dbl(row, "boot_s", 180, path);
        double bootWh = Dbl(row, "boot_wh", 0.06 * curve.MaxWatts, path);
        bool prot = row.Extra.TryGetValue("protected", out string? p)
            ? p.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new InputFormatException(path, row.Line, $"'protected' must be true or false, got '{p}'"),
            }
            : role == 0;
        var spec = new ServerSpec(
            row.Name,
            curve,
            Dbl(row, "throughput_per_h", 1.0, path),
            capMin,
            capMax,
            bootS,
            bootWh,
            prot,
            row.Extra.TryGetValue("min_on_h", out string? a) ? Int(row, "min_on_h", a, path) : 2,
            row.Extra.TryGetValue("min_off_h", out string? b) ? Int(row, "min_off_h", b, path) : 1,
            row.Extra.TryGetValue("max_cycles_per_day", out string? m) ? Int(row, "max_cycles_per_day", m, path) : 2,
            role);
        try
        {
            spec.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InputFormatException(path, row.Line, ex.Message);
        }

        return spec;
    }

    private static double Dbl(ServerRow row, string key, double fallback, string path)
    {
        if (!row.Extra.TryGetValue(key, out string? s))
        {
            return fallback;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new InputFormatException(path, row.Line, $"unparsable {key} '{s}'");
    }

    private static int Int(ServerRow row, string key, string s, string path) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0
            ? v
            : throw new InputFormatException(path, row.Line, $"unparsable {key} '{s}' (a whole number >= 0)");
}
