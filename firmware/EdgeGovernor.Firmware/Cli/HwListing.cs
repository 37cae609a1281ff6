namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov hw --json</c>'s document: the configuration read and one entry per device.</summary>
/// <param name="Config">The configuration file.</param>
/// <param name="Devices">Every configured or discovered device, in listing order.</param>
internal sealed record HwListing(string Config, IReadOnlyList<HwDevice> Devices);
