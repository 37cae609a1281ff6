namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Raft's persistent election state: the current term and the vote cast in it.</summary>
/// <param name="Term">The latest term this node has seen.</param>
/// <param name="VotedFor">Whom it voted for in <see cref="Term"/>, or <see cref="NodeId.None"/>.</param>
public readonly record struct PersistentVote(ulong Term, NodeId VotedFor);
