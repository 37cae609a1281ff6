namespace EdgeGovernor.Firmware.Observability;

/// <summary>One fan tachometer in /status.</summary>
internal sealed class TachometerStatus
{
    /// <summary>Configured name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Speed over the last window.</summary>
    public double Rpm { get; set; }

    /// <summary>Rising edges counted since start.</summary>
    public long Edges { get; set; }
}
