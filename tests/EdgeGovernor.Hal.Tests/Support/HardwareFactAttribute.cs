namespace EdgeGovernor.Hal.Tests.Support;

/// <summary>
/// A fact that runs against real hardware: skipped (reported as skipped, not failed) unless EDGEGOV_HIL=1.
/// Tests using it also carry [Trait("Category", "Hardware")] so that CI can filter them out altogether.
/// </summary>
public sealed class HardwareFactAttribute : FactAttribute
{
    public HardwareFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("EDGEGOV_HIL") != "1")
        {
            Skip = "hardware-in-loop test: set EDGEGOV_HIL=1 on a board with the hardware (see hal/README.md)";
        }
    }
}
