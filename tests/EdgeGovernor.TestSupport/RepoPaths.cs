namespace EdgeGovernor.TestSupport;

/// <summary>
/// Locates the repository (the directory holding EdgeGovernor.sln, found once by walking up from the test or benchmark
/// binaries, then from the working directory) and the shared reference data beside it (<c>../shared/data</c>).
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The checkout: the nearest directory above the binaries (or the working directory) holding EdgeGovernor.sln.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary><c>../shared/data</c> beside the checkout (prices, carbon, power; see ../shared/data/README.md).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>../shared/data/power/specpower_curves.csv (SPECpower curves).</summary>
    public static string SpecPowerCurves => SharedDataFile("power", "specpower_curves.csv");

    /// <summary>firmware/EdgeGovernor.Firmware/examples (the shipped configuration examples).</summary>
    public static string FirmwareExamples => InRepo("firmware", "EdgeGovernor.Firmware", "examples");

    /// <summary>A shipped simulator scenario, tools/EdgeGovernor.Simulator/scenarios/<paramref name="name"/>.</summary>
    public static string Scenario(string name) => InRepo("tools", "EdgeGovernor.Simulator", "scenarios", name);

    /// <summary>A path under the checkout.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>A path under <c>../shared/data</c>.</summary>
    public static string SharedDataFile(params string[] parts) => Path.Combine([SharedData, .. parts]);

    private static string FindRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "EdgeGovernor.sln")))
                {
                    return d.FullName;
                }
            }
        }

        throw new InvalidOperationException($"EdgeGovernor.sln not found above {AppContext.BaseDirectory} nor above {Directory.GetCurrentDirectory()}");
    }
}
