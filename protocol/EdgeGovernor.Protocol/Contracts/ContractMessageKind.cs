namespace EdgeGovernor.Protocol.Contracts;

/// <summary>The kind byte of a load-contract message (<see cref="ContractMessage"/>); any other value is malformed.</summary>
public enum ContractMessageKind : byte
{
    /// <summary>Owner → partner: take these units at this price (<see cref="ContractOffer"/>).</summary>
    Offer = 1,

    /// <summary>Partner → owner: prepared, capacity reserved (<see cref="ContractAnswer"/>).</summary>
    Accept = 2,

    /// <summary>Partner → owner: not taken, with a <see cref="RefuseReason"/> (<see cref="ContractAnswer"/>).</summary>
    Refuse = 3,

    /// <summary>Owner → partner: the units are the partner's now (<see cref="ContractDecision"/>).</summary>
    Commit = 4,

    /// <summary>Owner → partner: the owner runs the units itself; release the reservation (<see cref="ContractDecision"/>).</summary>
    Abort = 5,

    /// <summary>Partner → owner: the committed units are finished, so many run by the run-by deadline (<see cref="ContractDone"/>).</summary>
    Done = 6,

    /// <summary>Owner → partner: the done report is journalled; stop repeating it (<see cref="ContractAck"/>).</summary>
    Ack = 7,

    /// <summary>Partner → owner: a prepared partner that heard no decision asks for it (<see cref="ContractOutcomeQuery"/>).</summary>
    OutcomeQuery = 8,
}
