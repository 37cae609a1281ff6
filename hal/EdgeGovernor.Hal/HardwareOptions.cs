namespace EdgeGovernor.Hal;

/// <summary>Which hardware to use. All null: none configured, the simulated rack is used.</summary>
/// <param name="SysfsRoot">Root of the kernel's file systems ("/" on a board) for local RAPL, cpufreq and hwmon.</param>
/// <param name="GpioChip">Character device of the outlet relays, e.g. <c>/dev/gpiochip0</c>.</param>
/// <param name="OutletLines">Line offset of each outlet.</param>
public sealed record HardwareOptions(string? SysfsRoot = null, string? GpioChip = null, IReadOnlyList<int>? OutletLines = null)
{
    /// <summary>True when some real hardware is configured.</summary>
    public bool HasHardware => SysfsRoot is not null || GpioChip is not null;
}
