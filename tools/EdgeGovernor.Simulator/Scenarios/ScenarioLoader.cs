using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>Reads and validates scenario files.</summary>
public static class ScenarioLoader
{
    /// <summary>The seed used when neither the file nor the caller gives one.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Reads a scenario file; <paramref name="seedOverride"/> replaces its seed.</summary>
    /// <exception cref="ScenarioException">The file is missing, not JSON, or invalid (the message names the field).</exception>
    public static Scenario Load(string path, ulong? seedOverride = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioException(path, "(file)", ex.Message);
        }

        return Parse(text, path, seedOverride);
    }

    /// <summary>Parses and validates scenario JSON; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string json, string file, ulong? seedOverride = null)
    {
        ScenarioFile? f;
        try
        {
            f = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.ScenarioFile);
        }
        catch (JsonException ex)
        {
            string field = string.IsNullOrEmpty(ex.Path) ? "(document)" : ex.Path.TrimStart('$', '.');
            string reason = ex.Message;
            int cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            throw new ScenarioException(file, field, cut > 0 ? reason[..cut] : reason);
        }

        if (f is null)
        {
            throw new ScenarioException(file, "(document)", "is empty (null)");
        }

        return new ScenarioBuilder(file, f).Build(seedOverride);
    }

    /// <summary>
    /// Parses a node set: "all", "none", or comma-separated indices and inclusive ranges
    /// ("0-9,12"), each in [0, <paramref name="nodeCount"/>). Returns null and the reason when invalid.
    /// </summary>
    public static int[]? ParseNodeSet(string text, int nodeCount, out string? error)
    {
        error = null;
        string t = text.Trim();
        if (t.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Enumerable.Range(0, nodeCount).ToArray();
        }

        if (t.Equals("none", StringComparison.OrdinalIgnoreCase) || t.Length == 0)
        {
            return [];
        }

        var set = new SortedSet<int>();
        foreach (string part in t.Split(','))
        {
            string p = part.Trim();
            int dash = p.IndexOf('-', 1 < p.Length ? 1 : 0);
            string lo = dash > 0 ? p[..dash] : p;
            string hi = dash > 0 ? p[(dash + 1)..] : p;
            if (!int.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                || !int.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out int b))
            {
                error = $"'{p}' is not a node index or range (use e.g. \"all\", \"3\", \"0-9,12\")";
                return null;
            }

            if (a > b || b >= nodeCount)
            {
                error = $"'{p}' is outside the nodes 0..{nodeCount - 1} or an empty range";
                return null;
            }

            for (int i = a; i <= b; i++)
            {
                set.Add(i);
            }
        }

        return [.. set];
    }
}
