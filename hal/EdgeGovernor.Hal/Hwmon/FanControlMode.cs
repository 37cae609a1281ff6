namespace EdgeGovernor.Hal.Hwmon;

/// <summary>
/// hwmon <c>pwmN_enable</c> values (Documentation/hwmon/sysfs-interface): 0 no control (full speed),
/// 1 manual PWM, 2 and above automatic, chip specific.
/// </summary>
public enum FanControlMode
{
    /// <summary>0: no fan speed control, the fan runs at full speed.</summary>
    FullSpeed = 0,
    /// <summary>1: manual: the duty written to pwmN applies.</summary>
    Manual = 1,
    /// <summary>2: automatic control by the chip (values above 2 are chip-specific automatic modes).</summary>
    Automatic = 2,
}
