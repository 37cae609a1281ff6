namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// PARMCEA over the live voters, for one node: its own succession rank (while no coordinator is known), and, while it
/// coordinates, the alternates of each group heartbeat and the peers of its fast beat. Owns the candidate scratch and
/// the ranked alternates; allocation-free.
/// </summary>
/// <remarks>
/// The coordinator ranks its alternates again for every group heartbeat, with the membership as it is when that
/// heartbeat is written (<see cref="RankAlternates"/>). The ranking is then pending until the owner applies it after the
/// heartbeat has gone (<see cref="TryTakeRanked"/>: the election's own alternates, and <see cref="FastPeers"/>); the
/// fast beats in between repeat the applied alternates.
/// </remarks>
internal sealed class SuccessionRanking
{
    private readonly ClusterMembership _membership;
    private readonly Func<NodeId, bool> _isVoter;
    private readonly RefinementThresholds _thresholds;
    private readonly NodeId _self;
    private readonly ElectionCandidate[] _candidates;
    private readonly NodeId[] _ranked;
    private readonly NodeId[] _fastPeers;
    private int _rankedCount;
    private int _fastPeerCount;
    private bool _pending;

    /// <summary>Ranks the members of <paramref name="membership"/> for which <paramref name="isVoter"/> holds.</summary>
    /// <param name="self">This node.</param>
    /// <param name="membership">The live members and their reports.</param>
    /// <param name="isVoter">Who may stand (the roster).</param>
    /// <param name="thresholds">PARMCEA's thresholds.</param>
    /// <param name="alternates">K, the alternates a coordinator names (at least one slot is kept).</param>
    /// <param name="maxMembers">Most members the view holds (the candidate scratch).</param>
    public SuccessionRanking(NodeId self, ClusterMembership membership, Func<NodeId, bool> isVoter, RefinementThresholds thresholds, int alternates, int maxMembers)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(isVoter);
        _self = self;
        _membership = membership;
        _isVoter = isVoter;
        _thresholds = thresholds;
        _candidates = new ElectionCandidate[maxMembers];
        _ranked = new NodeId[Math.Max(1, alternates)];
        _fastPeers = new NodeId[2 * _ranked.Length];
    }

    /// <summary>Most alternates ranked (and read from a coordinator's heartbeat).</summary>
    public int Capacity => _ranked.Length;

    /// <summary>This node's 0-based position in the succession order of the current view (the view's size when it is not eligible).</summary>
    public int OwnRank()
    {
        int n = _membership.CopyCandidates(_candidates, _isVoter);
        int position = Parmcea.PositionOf(_candidates.AsSpan(0, n), _self, _thresholds);
        return position < 0 ? n : position;
    }

    /// <summary>Ranks the alternates of the group heartbeat being written (O(n·K)); they stay pending until taken.</summary>
    public ReadOnlySpan<NodeId> RankAlternates()
    {
        int n = _membership.CopyCandidates(_candidates, _isVoter);
        _rankedCount = Parmcea.TopK(_candidates.AsSpan(0, n), _thresholds, _self, _ranked);
        _pending = true;
        return _ranked.AsSpan(0, _rankedCount);
    }

    /// <summary>The alternates of the last <see cref="RankAlternates"/> if not taken yet (once).</summary>
    public bool TryTakeRanked(out ReadOnlySpan<NodeId> alternates)
    {
        alternates = _ranked.AsSpan(0, _rankedCount);
        bool pending = _pending;
        _pending = false;
        return pending;
    }

    /// <summary>
    /// The peers of the coordinator's fast beat for <paramref name="alternates"/>, written to <paramref name="peers"/>
    /// (at least 2 K long): the alternates, then the previous alternates that are no longer named (they get one more
    /// fast beat, so they learn it and stop expecting the fast beat). Remembers <paramref name="alternates"/> for the next
    /// call; returns the number of peers.
    /// </summary>
    public int FastPeers(ReadOnlySpan<NodeId> alternates, Span<NodeId> peers)
    {
        alternates.CopyTo(peers);
        int count = alternates.Length;
        for (int i = 0; i < _fastPeerCount; i++)
        {
            if (alternates.IndexOf(_fastPeers[i]) < 0)
            {
                peers[count++] = _fastPeers[i];
            }
        }

        alternates.CopyTo(_fastPeers);
        _fastPeerCount = alternates.Length;
        return count;
    }

    /// <summary>The leadership changed: no previous fast peers, nothing pending.</summary>
    public void Reset()
    {
        _fastPeerCount = 0;
        _pending = false;
    }
}
