namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A fan on a PWM channel (<c>rack.addons.pwm[].fans[]</c>); the rack's minimum fan duty applies to it.</summary>
internal sealed class PwmFanConfig
{
    /// <summary>Channel 0..15.</summary>
    public int Channel { get; set; } = -1;

    /// <summary>Name for logs.</summary>
    public string Name { get; set; } = "";
}
