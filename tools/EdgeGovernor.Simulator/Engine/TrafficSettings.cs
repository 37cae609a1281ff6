namespace EdgeGovernor.Simulator.Engine;

/// <summary>The application traffic: which nodes publish, how often, how much.</summary>
public sealed record TrafficSettings
{
    /// <summary>Node slots that publish.</summary>
    public IReadOnlyList<int> Publishers { get; init; } = [];

    /// <summary>Messages per second per publisher.</summary>
    public double RatePerSecond { get; init; } = 10;

    /// <summary>Payload size of each message.</summary>
    public int PayloadBytes { get; init; } = 64;

    /// <summary>When publishing starts.</summary>
    public long StartUs { get; init; } = 1_000_000;

    /// <summary>When publishing stops (the rest of the run lets repairs and stability settle).</summary>
    public long StopUs { get; init; } = 10_000_000;

    /// <summary>Exponential gaps between messages (a Poisson process) instead of a fixed period with a random phase.</summary>
    public bool Poisson { get; init; }
}
