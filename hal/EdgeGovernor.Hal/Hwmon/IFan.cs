namespace EdgeGovernor.Hal.Hwmon;

/// <summary>
/// A PWM-controlled fan (hwmon <c>pwmN</c>, <c>pwmN_enable</c>, <c>fanN_input</c>). Duty is the kernel's
/// 0..255; values outside are refused with <see cref="HalErrorKind.OutOfRange"/>.
/// </summary>
public interface IFan
{
    /// <summary>A name for logs, e.g. <c>nct6775/pwm1</c>.</summary>
    string Name { get; }

    /// <summary>True when the fan has a tachometer (<c>fanN_input</c>).</summary>
    bool HasTachometer { get; }

    /// <summary>Reads the tachometer in RPM; <see cref="HalErrorKind.Missing"/> without one.</summary>
    int ReadRpm();

    /// <summary>Reads the PWM duty, 0..255.</summary>
    int ReadDuty();

    /// <summary>Reads the control mode (<c>pwmN_enable</c>).</summary>
    FanControlMode ReadMode();

    /// <summary>Sets the control mode; records the previous mode first.</summary>
    void SetMode(FanControlMode mode);

    /// <summary>Sets the PWM duty (0..255); meaningful in <see cref="FanControlMode.Manual"/>.</summary>
    void SetDuty(int duty);
}

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

/// <summary>A temperature sensor (hwmon <c>tempN_input</c>, millidegrees Celsius).</summary>
public interface ITemperatureSensor
{
    /// <summary>A name for logs, e.g. <c>coretemp/temp1</c> or its label.</summary>
    string Name { get; }

    /// <summary>Reads the temperature in millidegrees Celsius.</summary>
    int ReadMillidegreesCelsius();
}

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
