namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The protocol node's heartbeat as this node's role asks for it (see "Heartbeat traffic and its bound" in
/// protocol/README.md). A member beats the group every member period with jitter, and directly to the coordinator in
/// large clusters (<see cref="DirectBeat"/>); the coordinator beats the group every coordinator group period without
/// jitter, and its fast beat goes unicast to the alternates it named in its last group beat (<see cref="SuccessionRanking"/>).
/// Sets the node's heartbeat interval, jitter and peers; sends nothing.
/// </summary>
internal sealed class HeartbeatPlan
{
    private readonly ProtocolNode _node;
    private readonly ClusterMembership _membership;
    private readonly ElectionState _election;
    private readonly SuccessionRanking _ranking;
    private readonly ClusterOptions _options;
    private readonly DirectBeat _direct;

    /// <summary>The plan of <paramref name="node"/> (the owner calls <see cref="Follow"/> or <see cref="Lead"/> at each leader change).</summary>
    public HeartbeatPlan(ProtocolNode node, ClusterMembership membership, ElectionState election, SuccessionRanking ranking, ClusterOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(options);
        _node = node;
        _membership = membership;
        _election = election;
        _ranking = ranking;
        _options = options;
        _direct = new DirectBeat(node, membership, election, options.Election, random);
    }

    /// <summary>The coordinator this member beats directly, or none.</summary>
    public NodeId DirectPeer => _direct.Peer;

    /// <summary>This node follows <paramref name="leader"/> (or none) since <paramref name="nowUs"/>: the member beat.</summary>
    public void Follow(long nowUs, NodeId leader)
    {
        _ranking.Reset();
        _direct.Reset();
        _node.HeartbeatJitter = _options.Membership.HeartbeatJitter;
        _node.HeartbeatIntervalUs = _membership.MemberPeriodUs;
        _node.SetHeartbeatPeers([], _options.Election.CoordinatorHeartbeatPeriodUs);
        _direct.Update(nowUs, leader);
    }

    /// <summary>This node now coordinates: the coordinator's group beat, no fast peers until its first group beat has named alternates.</summary>
    public void Lead(long nowUs)
    {
        _ranking.Reset();
        _direct.Reset();
        _node.HeartbeatJitter = 0;
        _node.HeartbeatIntervalUs = _options.Election.CoordinatorGroupPeriodUs(_membership.LiveCount);
        _node.SetHeartbeatPeers([], _options.Election.CoordinatorHeartbeatPeriodUs);
        _direct.Update(nowUs, _node.Id);
    }

    /// <summary>Follows the live count (the period for the role) and brings the direct beat in line (each tick).</summary>
    public void Refresh(long nowUs)
    {
        long period = _election.Role == ElectionRole.Leader ? _options.Election.CoordinatorGroupPeriodUs(_membership.LiveCount) : _membership.MemberPeriodUs;
        if (_node.HeartbeatIntervalUs != period)
        {
            _node.HeartbeatIntervalUs = period;
        }

        _direct.Update(nowUs, _election.Leader);
    }

    /// <summary>The coordinator's heartbeat named a new coordinator: the direct beat follows it.</summary>
    public void UpdateDirectBeat(long nowUs) => _direct.Update(nowUs, _election.Leader);

    /// <summary>
    /// After a group heartbeat of the coordinator: the alternates it named become the election's own, and the fast beat
    /// goes unicast to them, plus one last time to any node that was an alternate and no longer is, so that it learns it
    /// and stops expecting the fast beat. The coordinator beats without jitter, so setting the peers right after the beat
    /// (rather than while it is written) moves no timer and draws nothing.
    /// </summary>
    public void ApplyRankedAlternates()
    {
        if (!_ranking.TryTakeRanked(out ReadOnlySpan<NodeId> alternates) || _election.Role != ElectionRole.Leader)
        {
            return;
        }

        _election.SetOwnAlternates(alternates);
        Span<NodeId> peers = stackalloc NodeId[2 * _ranking.Capacity];
        int count = _ranking.FastPeers(alternates, peers);
        _node.SetHeartbeatPeers(peers[..count], _options.Election.CoordinatorHeartbeatPeriodUs);
    }
}
