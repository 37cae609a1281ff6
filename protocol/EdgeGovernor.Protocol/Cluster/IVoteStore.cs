namespace EdgeGovernor.Protocol.Cluster;

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
