namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Raft's persistent election state: the current term and the vote cast in it.</summary>
/// <param name="Term">The latest term this node has seen.</param>
/// <param name="VotedFor">Whom it voted for in <see cref="Term"/>, or <see cref="NodeId.None"/>.</param>
public readonly record struct PersistentVote(ulong Term, NodeId VotedFor);

/// <summary>
/// Durable storage of <see cref="PersistentVote"/>. <see cref="Save"/> must not return before the state is durable
/// (the firmware writes a file and fsyncs it): the election state calls it before any message that depends on it
/// is sent, so a node that crashes and restarts can never vote twice in one term.
/// </summary>
public interface IVoteStore
{
    /// <summary>The last saved state, or (0, none) when nothing was ever saved.</summary>
    PersistentVote Load();

    /// <summary>Saves the state durably; returns only when it would survive a crash.</summary>
    void Save(PersistentVote vote);
}

/// <summary>
/// A vote store in memory. The simulator keeps one instance per node across simulated crashes and restarts, which is
/// exactly what a durable file gives the firmware. Counts saves so tests can see them.
/// </summary>
public sealed class InMemoryVoteStore : IVoteStore
{
    private PersistentVote _vote;

    /// <summary>How many times <see cref="Save"/> was called.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc/>
    public PersistentVote Load() => _vote;

    /// <inheritdoc/>
    public void Save(PersistentVote vote)
    {
        _vote = vote;
        Saves++;
    }
}
