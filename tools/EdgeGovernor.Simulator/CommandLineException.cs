namespace EdgeGovernor.Simulator;

/// <summary>A bad command-line argument: printed as one line, exit code 2.</summary>
public sealed class CommandLineException(string message) : Exception(message);
