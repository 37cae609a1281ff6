namespace EdgeGovernor.Firmware.Cli;

/// <summary>A parsed <c>edgegov</c> command line.</summary>
internal abstract record CliCommand;
