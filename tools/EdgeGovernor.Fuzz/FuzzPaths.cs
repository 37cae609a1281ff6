namespace EdgeGovernor.Fuzz;

/// <summary>Where the seed sources are: the repository (found from the working directory upwards) and <c>../shared</c> beside it.</summary>
internal static class FuzzPaths
{
    /// <summary>The repository root (the directory holding <c>EdgeGovernor.sln</c>).</summary>
    public static string Repository { get; } = Find();

    /// <summary>The shared data beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Repository, "..", "shared"));

    private static string Find()
    {
        for (string? d = Directory.GetCurrentDirectory(); d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "EdgeGovernor.sln")))
            {
                return d;
            }
        }
        throw new InvalidOperationException("run --write-seeds inside the repository (no EdgeGovernor.sln above the working directory)");
    }
}
