namespace EdgeGovernor.Hal.Hwmon;

/// <summary>Range checks shared by every fan implementation.</summary>
public static class FanValidation
{
    /// <summary>Largest PWM duty (hwmon scale).</summary>
    public const int MaxDuty = 255;

    /// <summary>Refuses a duty outside 0..255.</summary>
    public static void ValidateDuty(string fan, int duty)
    {
        if ((uint)duty > MaxDuty)
        {
            ThrowHelper.ThrowOutOfRange(fan, "PWM duty", duty, 0, MaxDuty);
        }
    }

    /// <summary>Refuses a mode that is not one of the defined values.</summary>
    public static void ValidateMode(string fan, FanControlMode mode)
    {
        if (mode is not (FanControlMode.FullSpeed or FanControlMode.Manual or FanControlMode.Automatic))
        {
            ThrowHelper.ThrowOutOfRange(fan, "pwm_enable mode", (long)mode, 0, 2);
        }
    }
}
