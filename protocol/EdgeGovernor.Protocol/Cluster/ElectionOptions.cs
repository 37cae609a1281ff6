namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// Timers and switches of the election (all times in microseconds). Validated by <see cref="Validate"/>, which the
/// election state calls at construction.
/// </summary>
public sealed record ElectionOptions
{
    /// <summary>The coordinator's heartbeat period (fast, independent of cluster size). Default 100 ms.</summary>
    public long CoordinatorHeartbeatPeriodUs { get; init; } = 100_000;

    /// <summary>
    /// Most deliveries per second of the coordinator's group heartbeat, cluster-wide (G). The coordinator multicasts its
    /// heartbeat to the group every max(<see cref="CoordinatorHeartbeatPeriodUs"/>, (n - 1) / G) and, when that is slower
    /// than <see cref="CoordinatorHeartbeatPeriodUs"/>, sends the fast beat unicast to its alternates only. With the
    /// default 500, clusters of up to 51 nodes hear the fast beat in the group; n = 1000 hears the group beat every 2 s.
    /// </summary>
    public double CoordinatorGroupDeliveriesPerSecond { get; init; } = 500;

    /// <summary>The coordinator's group heartbeat period for <paramref name="liveMembers"/> live members (see <see cref="CoordinatorGroupDeliveriesPerSecond"/>).</summary>
    public long CoordinatorGroupPeriodUs(int liveMembers) =>
        Math.Max(CoordinatorHeartbeatPeriodUs, (long)(Math.Max(0, liveMembers - 1) / CoordinatorGroupDeliveriesPerSecond * 1_000_000));

    /// <summary>
    /// How long a follower that hears the fast beat (an alternate, or every follower while the group beat is fast) waits
    /// without hearing the coordinator before it is considered lost. Default 300 ms (3 periods). A follower that hears
    /// only the slower group beat waits the same number of group periods.
    /// </summary>
    public long LeaderTimeoutUs { get; init; } = 300_000;

    /// <summary>
    /// A voter that heard the coordinator within this window rejects (pre-)votes: it believes a coordinator exists
    /// (Raft's leader stickiness; with PreVote it stops rejoining nodes from deposing a healthy coordinator).
    /// Default 200 ms.
    /// </summary>
    public long LeaseUs { get; init; } = 200_000;

    /// <summary>Alternate i (1-based) stands (i - 1) of these after losing the coordinator. Default 40 ms.</summary>
    public long AlternateDelayUs { get; init; } = 40_000;

    /// <summary>How many alternates the coordinator names (K). Default 2.</summary>
    public int Alternates { get; init; } = 2;

    /// <summary>A full election starts this long after the last alternate's slot (or after start-up). Default 150 ms.</summary>
    public long ElectionBaseUs { get; init; } = 150_000;

    /// <summary>Full election: each position in the succession order waits this much longer. Default 25 ms.</summary>
    public long RankStaggerUs { get; init; } = 25_000;

    /// <summary>Positions beyond this many share the last slot plus a random delay of up to as many slots. Default 16.</summary>
    public int MaxStaggeredRanks { get; init; } = 16;

    /// <summary>How long a (pre-)candidate waits for a quorum of answers before it gives up the round. Default 150 ms.</summary>
    public long RoundTimeoutUs { get; init; } = 150_000;

    /// <summary>
    /// CheckQuorum: a coordinator that has not heard a quorum of the roster within this window steps down. The
    /// cluster layer raises it to cover the members' (slower, size-dependent) heartbeat period. Default 1 s.
    /// </summary>
    public long CheckQuorumWindowUs { get; init; } = 1_000_000;

    /// <summary>Plain Raft only: election timeouts are drawn uniformly from [T, 2T]. Default 300 ms.</summary>
    public long PlainElectionTimeoutUs { get; init; } = 300_000;

    /// <summary>Name alternates and let them stand first. Off: plain Raft.</summary>
    public bool UseAlternates { get; init; } = true;

    /// <summary>Stagger full-election timeouts by PARMCEA rank. Off: plain Raft's randomized timeouts.</summary>
    public bool UseRanking { get; init; } = true;

    /// <summary>Use PreVote before every real election.</summary>
    public bool UsePreVote { get; init; } = true;

    /// <summary>Plain Raft: the same core with ranking and alternates off.</summary>
    public static ElectionOptions PlainRaft { get; } = new() { UseAlternates = false, UseRanking = false };

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when a value is out of range.</summary>
    public void Validate()
    {
        static void Positive(long value, string name)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"{name} must be positive (got {value} us).", name);
            }
        }

        Positive(CoordinatorHeartbeatPeriodUs, nameof(CoordinatorHeartbeatPeriodUs));
        Positive(LeaderTimeoutUs, nameof(LeaderTimeoutUs));
        Positive(LeaseUs, nameof(LeaseUs));
        Positive(AlternateDelayUs, nameof(AlternateDelayUs));
        Positive(ElectionBaseUs, nameof(ElectionBaseUs));
        Positive(RankStaggerUs, nameof(RankStaggerUs));
        Positive(RoundTimeoutUs, nameof(RoundTimeoutUs));
        Positive(CheckQuorumWindowUs, nameof(CheckQuorumWindowUs));
        Positive(PlainElectionTimeoutUs, nameof(PlainElectionTimeoutUs));
        if (LeaderTimeoutUs <= CoordinatorHeartbeatPeriodUs)
        {
            throw new ArgumentException(
                $"LeaderTimeoutUs ({LeaderTimeoutUs}) must exceed CoordinatorHeartbeatPeriodUs ({CoordinatorHeartbeatPeriodUs}).",
                nameof(LeaderTimeoutUs));
        }

        if (LeaseUs > LeaderTimeoutUs)
        {
            throw new ArgumentException($"LeaseUs ({LeaseUs}) must not exceed LeaderTimeoutUs ({LeaderTimeoutUs}).", nameof(LeaseUs));
        }

        if (Alternates is < 0 or > 8)
        {
            throw new ArgumentException($"Alternates must be between 0 and 8 (got {Alternates}).", nameof(Alternates));
        }

        if (!(CoordinatorGroupDeliveriesPerSecond > 0) || double.IsInfinity(CoordinatorGroupDeliveriesPerSecond))
        {
            throw new ArgumentException($"CoordinatorGroupDeliveriesPerSecond must be positive and finite (got {CoordinatorGroupDeliveriesPerSecond}).", nameof(CoordinatorGroupDeliveriesPerSecond));
        }

        if (MaxStaggeredRanks < 1)
        {
            throw new ArgumentException($"MaxStaggeredRanks must be at least 1 (got {MaxStaggeredRanks}).", nameof(MaxStaggeredRanks));
        }
    }
}
