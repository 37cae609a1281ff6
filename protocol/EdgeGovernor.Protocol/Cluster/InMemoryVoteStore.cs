namespace EdgeGovernor.Protocol.Cluster;

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
