namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A fan tachometer on a GPIO line: rising edges counted, RPM = edges / pulses per revolution per minute.</summary>
internal sealed class TachometerConfig
{
    /// <summary>Name in /status and the metric's label.</summary>
    public string Name { get; set; } = "";

    /// <summary>GPIO character device, e.g. <c>/dev/gpiochip0</c>.</summary>
    public string Chip { get; set; } = "";

    /// <summary>Line offset on the chip.</summary>
    public int Line { get; set; } = -1;

    /// <summary>Tachometer pulses per fan revolution (2 for most PC and server fans).</summary>
    public int PulsesPerRevolution { get; set; } = 2;

    /// <summary><c>pull-up</c> (default: open-collector tachometer outputs), <c>pull-down</c>, <c>disabled</c> or <c>as-is</c>.</summary>
    public string Bias { get; set; } = "pull-up";
}
