namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Timers of the failure detector and the heartbeat budget (microseconds).</summary>
public sealed record MembershipOptions
{
    /// <summary>Shortest period of an ordinary member's heartbeat. Default 500 ms.</summary>
    public long MinMemberPeriodUs { get; init; } = 500_000;

    /// <summary>
    /// Most deliveries of ordinary-member heartbeats per second, cluster-wide (D). Every member heartbeat is multicast to
    /// the n - 1 others, so the period is n (n - 1) / D once that exceeds <see cref="MinMemberPeriodUs"/>. Each node then
    /// receives (n - 1) / period = D / n member heartbeats per second. Default 2,000: up to 32 members beat every
    /// <see cref="MinMemberPeriodUs"/>; n = 1000 beats every 500 s and each node receives 2 per second.
    /// </summary>
    public double MemberHeartbeatDeliveriesPerSecond { get; init; } = 2_000;

    /// <summary>
    /// Spread of each member heartbeat period (0 to 0.5, default 0.25): periods are drawn from
    /// [1 - j, 1 + j] × the period so that the members' beats spread out instead of arriving together.
    /// </summary>
    public double HeartbeatJitter { get; init; } = 0.25;

    /// <summary>
    /// Most direct member beats the coordinator receives per second (R). While the members' group beat is slower than
    /// max(<see cref="MinMemberPeriodUs"/>, n / R), every member also sends its heartbeat unicast to the coordinator with
    /// that period (jittered like the group beat), and the coordinator uses it for commit, CheckQuorum and suspicion.
    /// Default 250: n = 1000 beats the coordinator directly every 4 s; up to 32 members the group beat is as fast and no
    /// direct beat is sent.
    /// </summary>
    public double DirectBeatsPerSecond { get; init; } = 250;

    /// <summary>A member is suspected after this many of its announced periods of silence. Default 3.</summary>
    public double SuspectAfterPeriods { get; init; } = 3;

    /// <summary>Interval between direct probes of a suspected member. Default 100 ms.</summary>
    public long ProbeIntervalUs { get; init; } = 100_000;

    /// <summary>
    /// Unanswered probes after which a suspected member is declared failed. Default 10: at 10 % loss each way a
    /// probe round trip fails with p = 0.19, ten in a row with p = 6e-8 (six gave one false failure per simulated hour
    /// among 50 nodes).
    /// </summary>
    public int ProbeAttempts { get; init; } = 10;

    /// <summary>Most members tracked (the rest are ignored and counted). Default 16,384.</summary>
    public int MaxMembers { get; init; } = 16_384;

    /// <summary>
    /// The ordinary members' heartbeat period for a cluster of <paramref name="liveMembers"/>:
    /// max(<see cref="MinMemberPeriodUs"/>, n (n - 1) / D). Heartbeat traffic of the members: at most
    /// max(D, n (n - 1) / MinMemberPeriod) deliveries per second cluster-wide (D once n (n - 1) ≥ D × MinMemberPeriod), and
    /// each node receives (n - 1) / period = min((n - 1) / MinMemberPeriod, D / n) per second, never more than
    /// √(D / MinMemberPeriod) + 1 (64 per second with the defaults). The coordinator's own beat comes on top (see
    /// <see cref="ElectionOptions.CoordinatorGroupDeliveriesPerSecond"/>).
    /// </summary>
    public long MemberPeriodUs(int liveMembers)
    {
        double n = Math.Max(1, liveMembers);
        double byBudget = n * (n - 1) / MemberHeartbeatDeliveriesPerSecond * 1_000_000;
        return Math.Max(MinMemberPeriodUs, (long)byBudget);
    }

    /// <summary>
    /// The period of the direct member beat to the coordinator for a cluster of <paramref name="liveMembers"/>:
    /// max(<see cref="MinMemberPeriodUs"/>, n / R). The coordinator receives at most max(R, n / MinMemberPeriod) of them
    /// per second. Sent only while it is shorter than <see cref="MemberPeriodUs"/>.
    /// </summary>
    public long DirectPeriodUs(int liveMembers)
    {
        double n = Math.Max(1, liveMembers);
        return Math.Max(MinMemberPeriodUs, (long)(n / DirectBeatsPerSecond * 1_000_000));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MinMemberPeriodUs <= 0)
        {
            throw new ArgumentException($"MinMemberPeriodUs must be positive (got {MinMemberPeriodUs}).", nameof(MinMemberPeriodUs));
        }

        if (!(MemberHeartbeatDeliveriesPerSecond > 0) || double.IsInfinity(MemberHeartbeatDeliveriesPerSecond))
        {
            throw new ArgumentException($"MemberHeartbeatDeliveriesPerSecond must be positive and finite (got {MemberHeartbeatDeliveriesPerSecond}).", nameof(MemberHeartbeatDeliveriesPerSecond));
        }

        if (!(DirectBeatsPerSecond > 0) || double.IsInfinity(DirectBeatsPerSecond))
        {
            throw new ArgumentException($"DirectBeatsPerSecond must be positive and finite (got {DirectBeatsPerSecond}).", nameof(DirectBeatsPerSecond));
        }

        if (!(HeartbeatJitter >= 0 && HeartbeatJitter <= 0.5))
        {
            throw new ArgumentException($"HeartbeatJitter must be between 0 and 0.5 (got {HeartbeatJitter}).", nameof(HeartbeatJitter));
        }

        if (!(SuspectAfterPeriods >= 1) || double.IsInfinity(SuspectAfterPeriods))
        {
            throw new ArgumentException($"SuspectAfterPeriods must be at least 1 (got {SuspectAfterPeriods}).", nameof(SuspectAfterPeriods));
        }

        if (ProbeIntervalUs <= 0)
        {
            throw new ArgumentException($"ProbeIntervalUs must be positive (got {ProbeIntervalUs}).", nameof(ProbeIntervalUs));
        }

        if (ProbeAttempts < 1)
        {
            throw new ArgumentException($"ProbeAttempts must be at least 1 (got {ProbeAttempts}).", nameof(ProbeAttempts));
        }

        if (MaxMembers < 1)
        {
            throw new ArgumentException($"MaxMembers must be at least 1 (got {MaxMembers}).", nameof(MaxMembers));
        }
    }
}
