using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// What this node says about itself: its load figures (<see cref="ClusterNode.SetLoad"/>), the heartbeat section it
/// writes (figures, period, leader, log position and, in the coordinator's beats, its alternates, ranked again for every
/// group beat) and its own member report in the membership view. Writing the section only writes. Owned by
/// <see cref="ClusterNode"/>.
/// </summary>
internal sealed class OwnReport
{
    private readonly ProtocolNode _node;
    private readonly ClusterMembership _membership;
    private readonly ElectionState _election;
    private readonly SuccessionRanking _ranking;
    private readonly PriceLog _log;
    private readonly BoardSignatures _signatures;
    private ushort _utilizationBp;
    private uint _capacity;
    private byte _health;

    /// <summary>Creates the report of <paramref name="node"/> (load figures zero, healthy).</summary>
    public OwnReport(ProtocolNode node, ClusterMembership membership, ElectionState election, SuccessionRanking ranking, PriceLog log, BoardSignatures signatures)
    {
        _signatures = signatures;
        _node = node;
        _membership = membership;
        _election = election;
        _ranking = ranking;
        _log = log;
    }

    /// <summary>Sets the load figures (utilization in basis points, capacity, health: 0 = healthy) and publishes the report.</summary>
    public void SetLoad(ushort utilizationBp, uint capacity, byte health)
    {
        _utilizationBp = utilizationBp;
        _capacity = capacity;
        _health = health;
        Publish();
    }

    /// <summary>Sets this node's own report in the membership view (what the ranking sees of it).</summary>
    public void Publish() =>
        _membership.SetOwnReport(new MemberReport(_utilizationBp, _capacity, _health, _node.HeartbeatIntervalUs, _log.LastIndex, _log.LastTerm));

    /// <summary>Writes the heartbeat section into <paramref name="destination"/>; returns its length (0: it did not fit).
    /// The coordinator's section gets the next beat number and is signed for the heartbeat datagram it goes out in.</summary>
    public int WriteSection(Span<byte> destination)
    {
        bool isCoordinator = _election.Role == ElectionRole.Leader;
        // Ranked again for every group beat (O(n·K)); the fast beats in between repeat the alternates applied last.
        ReadOnlySpan<NodeId> alternates = !isCoordinator ? []
            : _node.WritingGroupHeartbeat ? _ranking.RankAlternates()
            : _election.Alternates;
        var section = new ClusterHeartbeatSectionFrame(
            isCoordinator, _utilizationBp, _capacity, _health, (uint)Math.Min(uint.MaxValue, _node.HeartbeatIntervalUs / 1000),
            _election.Leader, _log.LastIndex, _log.LastTerm, _log.CommitIndex, Beat: isCoordinator ? _signatures.NextBeat() : 0);
        if (!section.TryWrite(destination, alternates, out int written))
        {
            return 0;
        }

        if (isCoordinator)
        {
            int signed = written - SignatureFormat.SignatureSize;
            _signatures.SignDatagram(MessageType.Heartbeat, destination, signed, destination.Slice(signed, SignatureFormat.SignatureSize));
        }

        return written;
    }
}
