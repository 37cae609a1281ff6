namespace EdgeGovernor.Protocol.Contracts;

/// <summary>Why a partner refused an offer (carried by <see cref="ContractMessageKind.Refuse"/>; any other value is malformed).</summary>
public enum RefuseReason : byte
{
    /// <summary>Not refused (an accept).</summary>
    None = 0,

    /// <summary>The receiver's policy declined: no spare capacity before the run-by deadline, or its marginal cost with
    /// the units would not stay below the price.</summary>
    Declined = 1,

    /// <summary>The receiver holds no contract of that id with the sender.</summary>
    UnknownContract = 2,

    /// <summary>The contract is not valid at the receiver's time.</summary>
    ContractNotValid = 3,

    /// <summary>The job class is not one the receiver accepts under the contract.</summary>
    ClassNotAccepted = 4,

    /// <summary>More units than the contract's cap.</summary>
    OverUnitCap = 5,

    /// <summary>The unit price is outside the contract's range.</summary>
    PriceOutOfRange = 6,

    /// <summary>The decide-by deadline has passed at the receiver (a late or replayed offer).</summary>
    Expired = 7,

    /// <summary>The receiver holds as many open transfers as it allows (<see cref="ContractExchangeOptions.MaxOpenTransfers"/>).</summary>
    Busy = 8,
}
