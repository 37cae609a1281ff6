namespace EdgeGovernor.Protocol.Cluster;

/// <summary>The election role of a node.</summary>
public enum ElectionRole : byte
{
    /// <summary>Not in the roster: receives everything, never votes, never leads.</summary>
    Observer = 0,

    /// <summary>A voter following a coordinator (or waiting for one).</summary>
    Follower = 1,

    /// <summary>Asking for pre-votes (PreVote's trial round; the term is unchanged).</summary>
    PreCandidate = 2,

    /// <summary>Standing for election in a new term.</summary>
    Candidate = 3,

    /// <summary>The coordinator of the current term.</summary>
    Leader = 4,
}
