namespace EdgeGovernor.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it one input; any exception that escapes is a finding (a
/// parser of outside input must refuse bad input with a result, never throw), and so is a hang. A target's
/// constructor runs no code of the instrumented assemblies (SharpFuzz's coverage map exists only once the
/// fuzzer runs): build state on the first <see cref="Run"/>.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder (<c>corpus/NAME</c>).</summary>
    string Name { get; }

    /// <summary>What the target parses, for <c>--list</c>.</summary>
    string Description { get; }

    /// <summary>Parses one input.</summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>The seed corpus (written to <c>corpus/NAME</c> by <c>--write-seeds</c> and kept in the repository).</summary>
    IEnumerable<byte[]> Seeds();
}
