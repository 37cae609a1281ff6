namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>Who publishes, how often, how much.</summary>
public sealed class TrafficSection
{
    /// <summary>Node set of the publishers.</summary>
    public string? Publishers { get; set; }

    /// <summary>Messages per second per publisher.</summary>
    public double? RatePerSecond { get; set; }

    /// <summary>Payload bytes per message (20 to 1200).</summary>
    public int? PayloadBytes { get; set; }

    /// <summary>When publishing starts (seconds).</summary>
    public double? StartSeconds { get; set; }

    /// <summary>When publishing stops (seconds).</summary>
    public double? StopSeconds { get; set; }

    /// <summary>Exponential gaps between messages instead of a fixed period.</summary>
    public bool? Poisson { get; set; }
}
