namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// What a line needs beyond System.Device.Gpio's <c>PinMode</c>: bias, output drive and the kernel's input debounce
/// (<c>GPIO_V2_LINE_ATTR_ID_DEBOUNCE</c>, in whole microseconds; software debounce when the chip has none).
/// </summary>
public sealed record GpioLineOptions(GpioBias Bias = GpioBias.AsIs, GpioDrive Drive = GpioDrive.PushPull, TimeSpan Debounce = default)
{
    /// <summary>The longest debounce accepted (1 s): longer would hide real changes of an alarm or tachometer line.</summary>
    public static readonly TimeSpan MaxDebounce = TimeSpan.FromSeconds(1);

    /// <summary>Nothing beyond the mode.</summary>
    public static GpioLineOptions Default { get; } = new();
}
