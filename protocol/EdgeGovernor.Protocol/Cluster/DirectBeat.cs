namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The direct member beat (see "Heartbeat traffic and its bound" in protocol/README.md): while the members' group beat
/// is slower than the direct period, a member sends its heartbeat unicast to the coordinator every direct period
/// (jittered, first beat at a random phase), and the coordinator watches every member on that period (suspicion) and
/// takes CheckQuorum's window from it. Small clusters, whose group beat is as fast, send none. Owns the member's current
/// direct target and period; the coordinator's own unicast beats go to its alternates instead.
/// </summary>
internal sealed class DirectBeat
{
    private readonly ProtocolNode _node;
    private readonly ClusterMembership _membership;
    private readonly ElectionState _election;
    private readonly ElectionOptions _options;
    private readonly IRandomSource _random;
    private long _periodUs;

    /// <summary>The direct beat of <paramref name="node"/> (none yet).</summary>
    public DirectBeat(ProtocolNode node, ClusterMembership membership, ElectionState election, ElectionOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _node = node;
        _membership = membership;
        _election = election;
        _options = options;
        _random = random;
    }

    /// <summary>The coordinator this member beats directly, or none.</summary>
    public NodeId Peer { get; private set; }

    /// <summary>The leadership changed: no direct target (the next <see cref="Update"/> sets one).</summary>
    public void Reset() => Peer = NodeId.None;

    /// <summary>
    /// Brings the direct beat in line with the current sizes and <paramref name="leader"/>, the coordinator as of
    /// <paramref name="nowUs"/> (this node itself while it coordinates; at a leader change, the one the change names, which
    /// is the election's state at that point of the call): CheckQuorum's window, the coordinator's direct watch, and the
    /// member's unicast beat to the coordinator (started at a random phase within one period when the target or the
    /// period changes: one random draw).
    /// </summary>
    public void Update(long nowUs, NodeId leader)
    {
        long member = _membership.MemberPeriodUs;
        long direct = _membership.DirectPeriodUs;
        bool slow = direct < member;
        _election.CheckQuorumWindowUs = Math.Max(_options.CheckQuorumWindowUs, 3 * Math.Min(member, direct));
        if (leader == _node.Id)
        {
            _membership.WatchDirect(slow ? direct : long.MaxValue, nowUs);
            Peer = NodeId.None;
            return;
        }

        _membership.WatchDirect(long.MaxValue, nowUs);
        // Judged against the group interval in use, as SetHeartbeatPeers does (the live count may have moved since).
        slow = direct < _node.HeartbeatIntervalUs;
        NodeId target = slow && leader.IsValid && leader != _node.Id ? leader : NodeId.None;
        if (target == Peer && (!target.IsValid || direct == _periodUs))
        {
            return;
        }

        Peer = target;
        _periodUs = direct;
        if (target.IsValid)
        {
            _node.SetHeartbeatPeers(new ReadOnlySpan<NodeId>(in target), direct, nowUs + (long)(direct * _random.NextDouble()));
        }
        else
        {
            _node.SetHeartbeatPeers([], direct);
        }
    }
}
