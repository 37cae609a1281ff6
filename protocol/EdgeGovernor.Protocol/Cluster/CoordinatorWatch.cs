namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// What this node knows of the coordinator it follows: when it last heard it, whether it counts it lost, its group
/// heartbeat period, the alternates it named (or that this node names while it leads), and the follower timeout and
/// lease that follow from them (scaled by group period / fast period for a voter on the slow group beat, except for a
/// named alternate). Owned by <see cref="ElectionState"/>, which decides when the coordinator is heard or lost.
/// </summary>
internal sealed class CoordinatorWatch
{
    private readonly NodeId _self;
    private readonly ElectionOptions _options;
    private readonly NodeId[] _alternates;
    private int _alternateCount;

    /// <summary>Creates the watch of <paramref name="self"/> (nothing heard yet, no alternates).</summary>
    public CoordinatorWatch(NodeId self, ElectionOptions options)
    {
        _self = self;
        _options = options;
        _alternates = new NodeId[Math.Max(options.Alternates, 1)];
    }

    /// <summary>When the coordinator was last heard (<see cref="long.MinValue"/> after <see cref="Forget"/>).</summary>
    public long LastContactUs { get; private set; }

    /// <summary>True once the coordinator is counted lost (or none was heard since the start).</summary>
    public bool Lost { get; private set; }

    /// <summary>The coordinator's group heartbeat period (see <see cref="ElectionState.CoordinatorGroupPeriodUs"/>).</summary>
    public long GroupPeriodUs { get; set; }

    /// <summary>The alternates named by the coordinator's last heartbeat (or chosen by this node when it leads).</summary>
    public ReadOnlySpan<NodeId> Alternates => _alternates.AsSpan(0, _alternateCount);

    /// <summary>True when this node is one of the alternates named last.</summary>
    public bool IsNamedAlternate => Alternates.IndexOf(_self) >= 0;

    /// <summary>How long this follower waits without hearing the coordinator (see <see cref="ElectionState.FollowerTimeoutUs"/>).</summary>
    public long FollowerTimeoutUs => Scaled(_options.LeaderTimeoutUs, IsNamedAlternate);

    /// <summary>
    /// The lease within which this voter refuses <paramref name="candidate"/>'s (pre-)vote. It scales like the timeout: a
    /// voter on the slow group beat judges ordinary candidates by as many group periods, but a named alternate (which
    /// hears the fast beat) by the fast lease, so that failover stays fast.
    /// </summary>
    public long LeaseUs(NodeId candidate) => Scaled(_options.LeaseUs, IsNamedAlternate || Alternates.IndexOf(candidate) >= 0);

    /// <summary>Nothing heard: the state at start.</summary>
    public void Forget()
    {
        LastContactUs = long.MinValue;
        Lost = true;
    }

    /// <summary>The coordinator (or this node, as it becomes leader) was heard at <paramref name="nowUs"/>.</summary>
    public void Heard(long nowUs)
    {
        LastContactUs = nowUs;
        Lost = false;
    }

    /// <summary>The coordinator is counted lost.</summary>
    public void MarkLost() => Lost = true;

    /// <summary>True when the coordinator, not lost, was heard less than <paramref name="windowUs"/> before <paramref name="nowUs"/>.</summary>
    public bool HeardWithin(long nowUs, long windowUs) => !Lost && nowUs - LastContactUs < windowUs;

    /// <summary>Keeps up to <see cref="ElectionOptions.Alternates"/> of <paramref name="alternates"/>.</summary>
    public void SetAlternates(ReadOnlySpan<NodeId> alternates)
    {
        int n = Math.Min(alternates.Length, _options.Alternates);
        alternates[..n].CopyTo(_alternates);
        _alternateCount = n;
    }

    /// <summary>Forgets the alternates.</summary>
    public void ClearAlternates() => _alternateCount = 0;

    private long Scaled(long fastUs, bool hearsFastBeat)
    {
        long fast = _options.CoordinatorHeartbeatPeriodUs;
        long group = GroupPeriodUs;
        return hearsFastBeat || group <= fast ? fastUs : (long)((double)fastUs * group / fast);
    }
}
