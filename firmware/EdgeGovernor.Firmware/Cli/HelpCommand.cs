namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov --help</c> (or <c>edgegov &lt;command&gt; --help</c>).</summary>
/// <param name="Topic">The command asked about, or null for the overview.</param>
internal sealed record HelpCommand(string? Topic) : CliCommand;
