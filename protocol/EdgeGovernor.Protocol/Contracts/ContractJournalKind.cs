namespace EdgeGovernor.Protocol.Contracts;

/// <summary>What a <see cref="ContractJournalRecord"/> records: one step of one transfer on one side.</summary>
public enum ContractJournalKind : byte
{
    /// <summary>Owner: the offer, before it is first sent (the units are in flight: the owner neither runs nor offers them again).</summary>
    Offered = 1,

    /// <summary>Receiver: the transfer is prepared and its capacity reserved, before the accept is sent.</summary>
    Prepared = 2,

    /// <summary>Owner: decided commit, before the commit is sent (the units are the receiver's; payment booked).
    /// Receiver: learnt the commit, before it runs any unit (payment booked).</summary>
    Committed = 3,

    /// <summary>Owner: decided abort, before the abort is sent and before it runs the units itself.
    /// Receiver: learnt the abort (the reservation is released).</summary>
    Aborted = 4,

    /// <summary>Receiver: the committed units are finished (<see cref="ContractJournalRecord.UnitsRun"/> ran), before the done report is sent.</summary>
    Done = 5,

    /// <summary>Owner: the done report is booked, before the acknowledgement is sent.</summary>
    Settled = 6,

    /// <summary>Receiver: the acknowledgement arrived; nothing more to send for the transfer.</summary>
    Closed = 7,

    /// <summary>Either role, written only by compaction (<see cref="ContractExchange.Compact"/>): the ledger totals of the
    /// transfers this board has forgotten with one partner in one direction (<see cref="ContractJournalRecord.Role"/>
    /// owner: units this board committed out; receiver: units it took in), and for the owner direction the last
    /// transfer sequence, so ids are never reused. Carries no offer.</summary>
    LedgerCarry = 8,
}
