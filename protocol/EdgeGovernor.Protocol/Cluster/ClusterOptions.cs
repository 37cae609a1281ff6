using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Configuration of the cluster layer of one node (<see cref="ClusterNode"/>).</summary>
public sealed record ClusterOptions
{
    /// <summary>The voters (Raft's configuration). Nodes outside it join as observers.</summary>
    public required IReadOnlyList<NodeId> Roster { get; init; }

    /// <summary>This board's own signing key (<see cref="Ed25519Signer"/>): signs its votes, coordinator heartbeats and
    /// price records.</summary>
    public required IMessageSigner Signer { get; init; }

    /// <summary>The boards' public keys (<see cref="SigningRoster"/>): what others sign is verified against them before
    /// anything acts on it.</summary>
    public required ISignatureVerifier Verifier { get; init; }

    /// <summary>Election timers and switches.</summary>
    public ElectionOptions Election { get; init; } = new();

    /// <summary>Failure detector timers and the heartbeat budget.</summary>
    public MembershipOptions Membership { get; init; } = new();

    /// <summary>PARMCEA's thresholds (default 20 % / 70 %).</summary>
    public RefinementThresholds Thresholds { get; init; } = RefinementThresholds.Default;

    /// <summary>The reliable multicast channel that carries price records (1..255). Default 1.</summary>
    public byte PriceChannel { get; init; } = 1;

    /// <summary>Records the price log keeps. Default 1024.</summary>
    public int PriceLogCapacity { get; init; } = 1024;

    /// <summary>Least time between two catch-up requests of a lagging follower. Default 200 ms.</summary>
    public long CatchUpIntervalUs { get; init; } = 200_000;

    /// <summary>While no coordinator is known, the own succession rank is refreshed this often. Default 50 ms.</summary>
    public long RankRefreshUs { get; init; } = 50_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Roster is null || Roster.Count == 0)
        {
            throw new ArgumentException("The roster of voters must name at least one node.", nameof(Roster));
        }

        ArgumentNullException.ThrowIfNull(Signer);
        ArgumentNullException.ThrowIfNull(Verifier);
        ArgumentNullException.ThrowIfNull(Election);
        ArgumentNullException.ThrowIfNull(Membership);
        Election.Validate();
        Membership.Validate();
        if (PriceChannel == 0)
        {
            throw new ArgumentException("PriceChannel must be 1..255 (0 is the application's channel).", nameof(PriceChannel));
        }

        if (PriceLogCapacity < 4)
        {
            throw new ArgumentException($"PriceLogCapacity must be at least 4 (got {PriceLogCapacity}).", nameof(PriceLogCapacity));
        }

        if (CatchUpIntervalUs <= 0 || RankRefreshUs <= 0)
        {
            throw new ArgumentException("CatchUpIntervalUs and RankRefreshUs must be positive.", nameof(CatchUpIntervalUs));
        }
    }
}
