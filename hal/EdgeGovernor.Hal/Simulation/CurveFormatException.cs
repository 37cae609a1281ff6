namespace EdgeGovernor.Hal.Simulation;

/// <summary>A curve file is malformed: <see cref="Source"/> and <see cref="Line"/> say where.</summary>
public sealed class CurveFormatException(string source, int line, string message)
    : FormatException($"{source}:{line}: {message}")
{
    /// <summary>The file (or other source name).</summary>
    public string File { get; } = source;

    /// <summary>1-based line number.</summary>
    public int Line { get; } = line;
}
