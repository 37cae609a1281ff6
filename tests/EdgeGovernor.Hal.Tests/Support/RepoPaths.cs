namespace EdgeGovernor.Hal.Tests.Support;

/// <summary>Locates the repository (the directory holding EdgeGovernor.sln) and the shared reference data beside it.</summary>
public static class RepoPaths
{
    public static string RepoRoot { get; } = Find();

    /// <summary>../shared/data/power/specpower_curves.csv (SPECpower curves; see ../shared/data/README.md).</summary>
    public static string SpecPowerCurves => Path.GetFullPath(Path.Combine(RepoRoot, "../shared/data/power/specpower_curves.csv"));

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests/EdgeGovernor.Hal.Tests/Fixtures", name);

    private static string Find()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGovernor.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("EdgeGovernor.sln not found above " + AppContext.BaseDirectory);
    }
}
