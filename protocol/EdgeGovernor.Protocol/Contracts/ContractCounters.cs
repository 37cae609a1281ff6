namespace EdgeGovernor.Protocol.Contracts;

/// <summary>What a <see cref="ContractExchange"/> did since it was built (not journalled: a restart starts them at 0).
/// Read by the firmware's metrics.</summary>
public sealed class ContractCounters
{
    /// <summary>Offers journalled and sent (first sends; retransmissions in <see cref="Retransmissions"/>).</summary>
    public long OffersSent { get; internal set; }

    /// <summary>Offers from partners passed to the policy (<see cref="ContractEffectKind.Judge"/>).</summary>
    public long OffersJudged { get; internal set; }

    /// <summary>Offers from partners refused (by the contract check or the policy).</summary>
    public long OffersRefused { get; internal set; }

    /// <summary>Own offers the partner refused.</summary>
    public long RefusalsReceived { get; internal set; }

    /// <summary>Transfers committed on this side (either role).</summary>
    public long Commits { get; internal set; }

    /// <summary>Transfers aborted on this side (either role).</summary>
    public long Aborts { get; internal set; }

    /// <summary>Of the owner's aborts, those decided at the decide-by deadline with no answer.</summary>
    public long DeadlineAborts { get; internal set; }

    /// <summary>Messages sent again by a timer (offers, outcome queries, done reports).</summary>
    public long Retransmissions { get; internal set; }

    /// <summary>Messages that repeated a step already taken (answered from the state, nothing journalled).</summary>
    public long Duplicates { get; internal set; }

    /// <summary>Messages dropped: malformed (<see cref="ContractMessage.TryRead"/>), or sender or recipient not the
    /// transport's sender and this board, or about a transfer the sender has no part in.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Messages dropped because the signature is not the sender's board key.</summary>
    public long BadSignatures { get; internal set; }

    /// <summary>Messages that contradict this side's journal (a commit for an aborted transfer, an abort for a committed
    /// one, a done report for a transfer not committed): dropped. Never happens between two correct boards.</summary>
    public long Conflicts { get; internal set; }

    /// <summary>Messages about transfers this side does not hold and that need no answer: dropped.</summary>
    public long Unknown { get; internal set; }

    /// <summary>Finished transfers forgotten by compaction (<see cref="ContractExchange.Compact"/>).</summary>
    public long Forgotten { get; internal set; }
}
