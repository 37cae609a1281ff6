using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>One thing the election asks its owner to do, in the order it happened (see <see cref="ElectionEffects"/>).</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Node">The candidate to answer (<see cref="ElectionEffectKind.SendVoteResponse"/>) or the new coordinator
/// (<see cref="ElectionEffectKind.LeaderChanged"/>, <see cref="NodeId.None"/>: unknown).</param>
/// <param name="Request">The request to broadcast (<see cref="ElectionEffectKind.BroadcastVoteRequest"/>).</param>
/// <param name="Response">The answer to send (<see cref="ElectionEffectKind.SendVoteResponse"/>).</param>
/// <param name="Term">The term of the leader change.</param>
/// <param name="AtUs">When the leader changed (the time passed to the call that changed it).</param>
public readonly record struct ElectionEffect(ElectionEffectKind Kind, NodeId Node, VoteRequestFrame Request, VoteResponseFrame Response, ulong Term, long AtUs)
{
    /// <summary>Send <paramref name="request"/> to every voter.</summary>
    public static ElectionEffect Broadcast(in VoteRequestFrame request) =>
        new(ElectionEffectKind.BroadcastVoteRequest, NodeId.None, request, default, 0, 0);

    /// <summary>Send <paramref name="response"/> to <paramref name="candidate"/>.</summary>
    public static ElectionEffect Respond(NodeId candidate, in VoteResponseFrame response) =>
        new(ElectionEffectKind.SendVoteResponse, candidate, default, response, 0, 0);

    /// <summary>The coordinator of <paramref name="term"/> is now <paramref name="leader"/>, as of <paramref name="atUs"/>.</summary>
    public static ElectionEffect LeaderChange(NodeId leader, ulong term, long atUs) =>
        new(ElectionEffectKind.LeaderChanged, leader, default, default, term, atUs);
}
