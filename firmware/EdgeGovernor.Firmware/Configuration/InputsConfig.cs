namespace EdgeGovernor.Firmware.Configuration;

/// <summary><c>rack.inputs</c>: GPIO input lines operators wire to the board (<c>rack.hardware = "linux"</c>).</summary>
internal sealed class InputsConfig
{
    /// <summary>Fan tachometers counted from edge events.</summary>
    public TachometerConfig[] Tachometers { get; set; } = [];

    /// <summary>Maintenance or alarm lines that hold the rack at its safe policy while asserted.</summary>
    public AlarmInputConfig[] Alarms { get; set; } = [];
}
