namespace EdgeGovernor.Fuzz.Tests;

/// <summary>
/// Every fuzz target over its seed corpus (<c>corpus/TARGET</c>) and every input that ever crashed or hung it
/// (<c>regressions/TARGET</c>), on the plain build: none may throw. A fixed parser bug stays fixed here.
/// </summary>
public sealed class ReplayTests
{
    private static readonly string FuzzProject = RepoPaths.InRepo("tools", "EdgeGovernor.Fuzz");

    public static TheoryData<string> TargetNames() => [.. Program.AllTargets.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Seed_corpus_and_regressions_replay_without_an_exception(string name)
    {
        IFuzzTarget target = Program.AllTargets.Single(t => t.Name == name);
        string corpus = Path.Combine(FuzzProject, "corpus", name);
        string[] seeds = Directory.Exists(corpus) ? Directory.GetFiles(corpus) : [];
        Assert.True(seeds.Length > 0, $"target {name} has no seed corpus in {corpus}");
        string regressions = Path.Combine(FuzzProject, "regressions", name);
        foreach (string file in seeds.Concat(Directory.Exists(regressions) ? Directory.GetFiles(regressions) : []).Order(StringComparer.Ordinal))
        {
            Exception? thrown = Record.Exception(() => target.Run(File.ReadAllBytes(file)));
            Assert.True(thrown is null, $"{name}: {file}: {thrown}");
        }
    }

    [Fact]
    public void Target_names_are_unique_and_usable_as_folder_names()
    {
        string[] names = [.. Program.AllTargets.Select(t => t.Name)];
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches("^[a-z][a-z0-9-]*$", n));
    }
}
