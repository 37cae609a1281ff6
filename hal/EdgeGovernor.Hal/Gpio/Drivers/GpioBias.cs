namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>The bias of a GPIO line (<c>GPIO_V2_LINE_FLAG_BIAS_*</c>).</summary>
public enum GpioBias
{
    /// <summary>No bias flag: the line keeps what the chip or the mode gives it (<c>PinMode.InputPullUp</c>/<c>InputPullDown</c> set one).</summary>
    AsIs,
    /// <summary><c>GPIO_V2_LINE_FLAG_BIAS_DISABLED</c>: the internal pulls are switched off.</summary>
    Disabled,
    /// <summary><c>GPIO_V2_LINE_FLAG_BIAS_PULL_UP</c>.</summary>
    PullUp,
    /// <summary><c>GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN</c>.</summary>
    PullDown,
}
