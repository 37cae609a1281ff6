namespace EdgeGovernor.Protocol.Cluster;

/// <summary>What an <see cref="ElectionEffect"/> asks the owner of the election state to do.</summary>
public enum ElectionEffectKind : byte
{
    /// <summary>Send <see cref="ElectionEffect.Request"/> to every voter (in practice: to the group).</summary>
    BroadcastVoteRequest = 1,

    /// <summary>Send <see cref="ElectionEffect.Response"/> to <see cref="ElectionEffect.Node"/>. Any vote is durable already.</summary>
    SendVoteResponse = 2,

    /// <summary>
    /// The coordinator of <see cref="ElectionEffect.Term"/> is now <see cref="ElectionEffect.Node"/> (<see cref="NodeId.None"/>:
    /// unknown), as of <see cref="ElectionEffect.AtUs"/>. When it is this node, the owner appends the term's first price
    /// record and sends a heartbeat at once.
    /// </summary>
    LeaderChanged = 3,
}
