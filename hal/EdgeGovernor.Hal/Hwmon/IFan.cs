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
