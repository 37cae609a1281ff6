namespace EdgeGovernor.Protocol.Contracts;

/// <summary>Where one transfer stands on one side.</summary>
public enum TransferState : byte
{
    /// <summary>Owner: offered, waiting for the answer until the decide-by deadline.</summary>
    Offered = 1,

    /// <summary>Receiver: the offer is with this board's policy (<see cref="ContractEffectKind.Judge"/>), not journalled.</summary>
    Judging = 2,

    /// <summary>Receiver: prepared, capacity reserved, waiting for the owner's decision (queries it when it hears nothing).</summary>
    Prepared = 3,

    /// <summary>Owner: committed, waiting for the done report. Receiver: committed, the units are to be run.</summary>
    Committed = 4,

    /// <summary>Both: aborted; the owner runs (ran) the units. Final.</summary>
    Aborted = 5,

    /// <summary>Receiver: done reported, waiting for the acknowledgement.</summary>
    Done = 6,

    /// <summary>Owner: the done report is booked. Final.</summary>
    Settled = 7,

    /// <summary>Receiver: the acknowledgement arrived. Final.</summary>
    Closed = 8,
}
