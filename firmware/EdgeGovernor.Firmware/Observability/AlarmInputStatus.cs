namespace EdgeGovernor.Firmware.Observability;

/// <summary>One maintenance or alarm input in /status.</summary>
internal sealed class AlarmInputStatus
{
    /// <summary>Configured name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Asserted at the last control period.</summary>
    public bool Asserted { get; set; }

    /// <summary>Assertions since start.</summary>
    public long Assertions { get; set; }
}
