namespace EdgeGovernor.Firmware.Cli;

/// <summary>Thrown for a bad command line; the message is printed and the exit code is 2.</summary>
internal sealed class CliException(string message) : Exception(message);
