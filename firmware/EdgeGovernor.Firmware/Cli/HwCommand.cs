namespace EdgeGovernor.Firmware.Cli;

/// <summary>
/// <c>edgegov hw --config FILE [--json]</c> (list and read every configured device) or
/// <c>edgegov hw --config FILE set-cap SERVER WATTS | clear-cap SERVER | power SERVER on|off | outlet SERVER on|off
/// [--yes] [--force] [--keep]</c> (change one thing), for commissioning a board.
/// </summary>
/// <param name="ConfigPath">The configuration file.</param>
/// <param name="Json">Machine-readable listing.</param>
/// <param name="Verb">What to do.</param>
/// <param name="Server">The server (<c>rack.servers[].name</c>) changed; null for the listing.</param>
/// <param name="Watts">The limit of <see cref="HwVerb.SetCap"/>, watts.</param>
/// <param name="On">The state of <see cref="HwVerb.Power"/> and <see cref="HwVerb.Outlet"/>.</param>
/// <param name="Yes">Carry the change out (otherwise a dry run).</param>
/// <param name="Force">Allow changing a protected server.</param>
/// <param name="Keep">Leave the change in place (otherwise restored after it was read back).</param>
internal sealed record HwCommand(string ConfigPath, bool Json, HwVerb Verb, string? Server, int Watts, bool On, bool Yes, bool Force, bool Keep) : CliCommand;
