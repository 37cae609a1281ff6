namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov status [--url URL] [--json]</c>: print the cluster view of a running node.</summary>
/// <param name="Url">The node's /status URL.</param>
/// <param name="Json">Print the raw JSON instead of the table.</param>
internal sealed record StatusCommand(Uri Url, bool Json) : CliCommand;
