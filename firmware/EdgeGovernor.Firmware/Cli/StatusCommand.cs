namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov status [--url URL] [--json] [--token-file FILE]</c>: print the cluster view of a running node.</summary>
/// <param name="Url">The node's /status URL.</param>
/// <param name="Json">Print the raw JSON instead of the table.</param>
/// <param name="TokenFile">File with the node's bearer token (<c>observability.httpBearerTokenFile</c>), or null.</param>
internal sealed record StatusCommand(Uri Url, bool Json, string? TokenFile = null) : CliCommand;
