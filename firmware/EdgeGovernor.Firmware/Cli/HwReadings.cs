namespace EdgeGovernor.Firmware.Cli;

/// <summary>A device's power readings in <c>edgegov hw</c>'s listing.</summary>
/// <param name="PowerWatts">Power drawn, watts (null: not measured by this device, or the reading failed).</param>
/// <param name="LimitWatts">Power limit in force, watts (null: none, or not a capping device).</param>
/// <param name="PowerState"><c>On</c> or <c>Off</c> for BMCs and outlets, else null.</param>
internal sealed record HwReadings(double? PowerWatts, double? LimitWatts, string? PowerState)
{
    /// <summary>No readings.</summary>
    public static readonly HwReadings None = new(null, null, null);
}
