namespace EdgeGovernor.Firmware.Observability;

/// <summary>The rack's GPIO inputs in /status (<c>rack.inputs</c>).</summary>
internal sealed class InputsStatus
{
    /// <summary>True while an alarm input holds the rack at its safe policy.</summary>
    public bool SafePolicyHeld { get; set; }

    /// <summary>Fan tachometers.</summary>
    public List<TachometerStatus> Tachometers { get; set; } = [];

    /// <summary>Maintenance and alarm lines.</summary>
    public List<AlarmInputStatus> Alarms { get; set; } = [];
}
