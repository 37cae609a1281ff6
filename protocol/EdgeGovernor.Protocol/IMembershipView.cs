using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// Who is alive: the seam between the channels and the failure detector. The multicast channel uses it
/// for stability (every live member must report delivery before retention is freed), to route NACKs
/// (to the sender while it is alive, to the group after it failed) and to scale NACK backoff by group
/// size; the unicast channel stops retransmitting to failed peers. The foundation ships
/// <see cref="Membership.HeartbeatMembership"/> (plain timeout); the cluster layer supplies a detector
/// with suspicion and probes behind the same interface.
/// </summary>
public interface IMembershipView
{
    /// <summary>Called once by the node that owns this view.</summary>
    void Attach(IMembershipListener listener);

    /// <summary>Every authenticated, non-replayed datagram from another node passes here (any type).</summary>
    void OnHeard(in MessageHeader header, long nowUs);

    /// <summary>Timers (failure timeouts). Called from <see cref="ProtocolNode.Tick"/>.</summary>
    void Tick(long nowUs);

    /// <summary>When <see cref="Tick"/> should next run (<see cref="long.MaxValue"/> when no timer is pending).</summary>
    long NextDeadlineUs { get; }

    /// <summary>True when <paramref name="node"/> is a live member (the local node always is).</summary>
    bool IsAlive(NodeId node);

    /// <summary>The number of live members, the local node included.</summary>
    int LiveCount { get; }

    /// <summary>The live member at <paramref name="index"/> (0 .. <see cref="LiveCount"/> - 1), in no particular order.</summary>
    NodeId LiveMemberAt(int index);
}
