namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>Why a watched line's info changed (<c>enum gpio_v2_line_changed_type</c>).</summary>
public enum GpioLineChangeKind
{
    /// <summary><c>GPIO_V2_LINE_CHANGED_REQUESTED</c>: a consumer requested the line.</summary>
    Requested = 1,
    /// <summary><c>GPIO_V2_LINE_CHANGED_RELEASED</c>: the line was released.</summary>
    Released = 2,
    /// <summary><c>GPIO_V2_LINE_CHANGED_CONFIG</c>: its configuration changed.</summary>
    Config = 3,
}
