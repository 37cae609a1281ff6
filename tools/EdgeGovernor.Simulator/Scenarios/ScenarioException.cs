namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>A scenario file that could not be used: which file, which field, why.</summary>
public sealed class ScenarioException(string file, string field, string reason)
    : Exception($"scenario '{file}': {field}: {reason}")
{
    /// <summary>The scenario file.</summary>
    public string File { get; } = file;

    /// <summary>The offending field as a JSON path, e.g. "network.data_loss".</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
