namespace EdgeGovernor.Firmware.Cli;

/// <summary>A parsed <c>edgegov</c> command line.</summary>
public abstract record CliCommand;
