using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The election's term and vote, durable through <see cref="IVoteStore"/> (every change is saved before the call
/// returns), and the rules that move the term: a message may raise it by at most <see cref="MaxTermStep"/>, never above
/// <see cref="WireLimits.MaxTerm"/>, and a node at the ceiling does not stand. Owned by <see cref="ElectionState"/>.
/// </summary>
internal sealed class TermGuard
{
    /// <summary>
    /// The most a message can raise this node's term by (65,536). With PreVote an honest node never runs ahead of the
    /// cluster by more than one term, and a node that was away catches up by as many terms as elections happened
    /// meanwhile, so only a forged or broken message jumps further; it is refused and counted
    /// (<see cref="TermJumpsRefused"/>). A node at term 0 (never voted, or its vote file deleted) takes any valid term, so
    /// a new board can join a cluster of any age. Reaching <see cref="WireLimits.MaxTerm"/> (2^63 - 1) takes at least
    /// 2^47 accepted messages.
    /// </summary>
    public const ulong MaxTermStep = 65_536;

    private readonly IVoteStore _store;

    /// <summary>Restores term and vote from <paramref name="store"/>; a term above <see cref="WireLimits.MaxTerm"/> is refused.</summary>
    public TermGuard(IVoteStore store)
    {
        _store = store;
        PersistentVote saved = store.Load();
        if (saved.Term > WireLimits.MaxTerm)
        {
            throw new ArgumentException($"The vote store returned term {saved.Term}, above the highest term {WireLimits.MaxTerm}.", nameof(store));
        }

        Current = saved.Term;
        VotedFor = saved.VotedFor;
    }

    /// <summary>The latest term seen (persisted).</summary>
    public ulong Current { get; private set; }

    /// <summary>The vote cast in <see cref="Current"/> (persisted), or none.</summary>
    public NodeId VotedFor { get; private set; }

    /// <summary>Messages refused because their term lay more than <see cref="MaxTermStep"/> above the current term (or
    /// above <see cref="WireLimits.MaxTerm"/>).</summary>
    public long TermJumpsRefused { get; private set; }

    /// <summary>Election rounds not started because the term reached <see cref="WireLimits.MaxTerm"/>.</summary>
    public long StandsRefusedAtTermCeiling { get; private set; }

    /// <summary>True when the term is at <see cref="WireLimits.MaxTerm"/>: this node no longer stands for election (the
    /// owner reports it; recovery is the operator's, see the vote store).</summary>
    public bool TermExhausted => Current >= WireLimits.MaxTerm;

    /// <summary>The term a pre-vote round asks for (asked only below the ceiling, see <see cref="TryStand"/>).</summary>
    public ulong Next => Current + 1;

    /// <summary>True when a message may move this node to <paramref name="term"/>: not above it, or at most
    /// <see cref="MaxTermStep"/> above it (any valid term from term 0) and at most <see cref="WireLimits.MaxTerm"/>.
    /// A refused jump is counted.</summary>
    public bool MayAdopt(ulong term)
    {
        if (term <= Current)
        {
            return true;
        }

        if (term > WireLimits.MaxTerm || (Current != 0 && term - Current > MaxTermStep))
        {
            TermJumpsRefused++;
            return false;
        }

        return true;
    }

    /// <summary>Moves to <paramref name="term"/> (one <see cref="MayAdopt"/> allowed) with no vote, saved.</summary>
    public void Adopt(ulong term)
    {
        Current = term;
        VotedFor = NodeId.None;
        _store.Save(new PersistentVote(term, NodeId.None));
    }

    /// <summary>Votes for <paramref name="candidate"/> in the current term, saved (durable before the answer leaves).</summary>
    public void Vote(NodeId candidate)
    {
        VotedFor = candidate;
        _store.Save(new PersistentVote(Current, candidate));
    }

    /// <summary>True when a round may start; at the ceiling the refusal is counted and false returned.</summary>
    public bool TryStand()
    {
        if (TermExhausted)
        {
            StandsRefusedAtTermCeiling++;
            return false;
        }

        return true;
    }

    /// <summary>Moves to the next term with this node's own vote, saved (durable before the request leaves).</summary>
    public void StandIn(NodeId self)
    {
        Current = checked(Current + 1); // TryStand refused at the ceiling
        VotedFor = self;
        _store.Save(new PersistentVote(Current, self));
    }
}
