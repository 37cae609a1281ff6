namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// A driver that takes <see cref="GpioLineOptions"/> per line (bias, drive, debounce); they apply with the line's next
/// mode change, and at once when it already has a mode.
/// </summary>
public interface IGpioLineOptionsDriver
{
    /// <summary>Sets the options of <paramref name="pinNumber"/>.</summary>
    void SetLineOptions(int pinNumber, GpioLineOptions options);
}
