namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The bound on the heartbeat period a sender announces in its heartbeat section: read as at least 1 ms, and at most
/// <see cref="MaxAnnouncedPeriodFactor"/> × the period this node itself would use in the sender's role for the cluster
/// it sees. A longer announced period is clamped and counted (<see cref="PeriodsClamped"/>). Owned by
/// <see cref="ClusterNode"/>, which reads every section's period through it.
/// </summary>
internal sealed class AnnouncedPeriodLimit
{
    /// <summary>
    /// The longest heartbeat period a sender may announce, as a multiple of the period this node itself would use in that
    /// role for the cluster it sees (the coordinator's group period or the member period, for max(live members, roster)).
    /// A longer announced period is clamped to it and counted (<see cref="PeriodsClamped"/>): a forged coordinator
    /// heartbeat claiming 0xFFFFFFFF ms keeps followers waiting at most 3 × 4 group periods (1.2 s with the 100 ms
    /// default), not 300 days.
    /// </summary>
    public const int MaxAnnouncedPeriodFactor = 4;

    private readonly ElectionOptions _election;
    private readonly ClusterMembership _membership;
    private readonly int _rosterSize;

    /// <summary>Creates the limit for a node with these election timers, this membership view and roster size.</summary>
    public AnnouncedPeriodLimit(ElectionOptions election, ClusterMembership membership, int rosterSize)
    {
        _election = election;
        _membership = membership;
        _rosterSize = rosterSize;
    }

    /// <summary>Heartbeat sections whose announced period exceeded <see cref="MaxAnnouncedPeriodFactor"/> × the expected
    /// period and was clamped to it.</summary>
    public long PeriodsClamped { get; private set; }

    /// <summary>The longest period accepted from a coordinator's heartbeat section (see <see cref="MaxAnnouncedPeriodFactor"/>).</summary>
    public long MaxCoordinatorPeriodUs =>
        MaxAnnouncedPeriodFactor * _election.CoordinatorGroupPeriodUs(Math.Max(_membership.LiveCount, _rosterSize));

    /// <summary>The longest period accepted from a member's heartbeat section (see <see cref="MaxAnnouncedPeriodFactor"/>).</summary>
    public long MaxMemberPeriodUs => MaxAnnouncedPeriodFactor * _membership.MemberPeriodUs;

    /// <summary>The period a section announced, in microseconds: at least 1 ms, clamped (and counted) to the limit of
    /// the sender's role.</summary>
    public long Read(uint periodMs, bool fromCoordinator)
    {
        long periodUs = Math.Max(1_000, periodMs * 1000L); // a uint32 of ms: no overflow in 64 bits
        long maxPeriodUs = fromCoordinator ? MaxCoordinatorPeriodUs : MaxMemberPeriodUs;
        if (periodUs > maxPeriodUs)
        {
            periodUs = maxPeriodUs;
            PeriodsClamped++;
        }

        return periodUs;
    }
}
