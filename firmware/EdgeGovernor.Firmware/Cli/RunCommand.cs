namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov run --config &lt;file&gt;</c>: run one board.</summary>
/// <param name="ConfigPath">The configuration file.</param>
internal sealed record RunCommand(string ConfigPath) : CliCommand;
