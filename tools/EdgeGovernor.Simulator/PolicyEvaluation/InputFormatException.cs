namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Bad input file: names the file, the 1-based line (0 when the whole file is at fault) and the problem.</summary>
public sealed class InputFormatException : Exception
{
    /// <summary>Creates the error.</summary>
    public InputFormatException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>1-based line, 0 for the whole file.</summary>
    public int Line { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
