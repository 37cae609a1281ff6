namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>How an output line is driven (<c>GPIO_V2_LINE_FLAG_OPEN_*</c>).</summary>
public enum GpioDrive
{
    /// <summary>Push-pull (no flag): the line is driven high and low.</summary>
    PushPull,
    /// <summary><c>GPIO_V2_LINE_FLAG_OPEN_DRAIN</c>: driven low only, high is left to a pull-up (shared alarm or reset lines).</summary>
    OpenDrain,
    /// <summary><c>GPIO_V2_LINE_FLAG_OPEN_SOURCE</c>: driven high only.</summary>
    OpenSource,
}
