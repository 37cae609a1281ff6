namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A maintenance or alarm input line: while asserted the rack runs its safe policy.</summary>
internal sealed class AlarmInputConfig
{
    /// <summary>Name in logs, /status and the metrics' label.</summary>
    public string Name { get; set; } = "";

    /// <summary>GPIO character device, e.g. <c>/dev/gpiochip0</c>.</summary>
    public string Chip { get; set; } = "";

    /// <summary>Line offset on the chip.</summary>
    public int Line { get; set; } = -1;

    /// <summary>True when a low level asserts the input (a contact to ground with a pull-up).</summary>
    public bool ActiveLow { get; set; }

    /// <summary><c>pull-up</c>, <c>pull-down</c>, <c>disabled</c> or <c>as-is</c> (default).</summary>
    public string Bias { get; set; } = "as-is";

    /// <summary>Debounce in the kernel, milliseconds (0 to 1000; 0: none).</summary>
    public double DebounceMs { get; set; } = 10;
}
