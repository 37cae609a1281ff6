using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>The network part of a <see cref="SimulationConfig"/>.</summary>
public sealed record NetworkSettings
{
    /// <summary>Every link's profile unless an override names it.</summary>
    public LinkProfile Default { get; init; } = LinkProfile.Perfect;

    /// <summary>Profiles for sets of links (later ones win).</summary>
    public IReadOnlyList<LinkOverride> Links { get; init; } = [];

    /// <summary>Probability a data datagram is lost at the sender, so that every receiver misses it.</summary>
    public double SenderDataLoss { get; init; }

    /// <summary>Probability a control datagram is lost at the sender.</summary>
    public double SenderControlLoss { get; init; }
}
