namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>A link profile as written; in a link override, missing fields inherit the default.</summary>
public class LinkSection
{
    /// <summary>Latency distribution.</summary>
    public LatencySection? Latency { get; set; }

    /// <summary>Per-receiver loss of data datagrams.</summary>
    public double? DataLoss { get; set; }

    /// <summary>Per-receiver loss of control datagrams.</summary>
    public double? ControlLoss { get; set; }

    /// <summary>Sets both <see cref="DataLoss"/> and <see cref="ControlLoss"/> where they are not given.</summary>
    public double? Loss { get; set; }

    /// <summary>Probability of a second copy.</summary>
    public double? Duplicate { get; set; }

    /// <summary>Probability of an extra reordering delay.</summary>
    public double? Reorder { get; set; }

    /// <summary>Largest extra reordering delay (microseconds).</summary>
    public long? ReorderDelayUs { get; set; }
}
