namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>A link override: a profile for every link from a node in <see cref="From"/> to a node in <see cref="To"/>.</summary>
public sealed class LinkOverrideSection : LinkSection
{
    /// <summary>Sender node set.</summary>
    public string? From { get; set; }

    /// <summary>Receiver node set.</summary>
    public string? To { get; set; }
}
