namespace EdgeGovernor.Simulator.Tests.Scenarios;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGovernor.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("EdgeGovernor.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Scenario(string name) => Path.Combine(Root.Value, "tools", "EdgeGovernor.Simulator", "scenarios", name);
}
