namespace EdgeGovernor.Protocol.Contracts;

/// <summary>A snapshot of one transfer as one side holds it (<see cref="ContractExchange.Transfers"/>, and in every effect).</summary>
/// <param name="Role">This board's side.</param>
/// <param name="Partner">The other side.</param>
/// <param name="Offer">The offer (id, contract, class, units, price, deadlines).</param>
/// <param name="State">Where it stands.</param>
/// <param name="UnitsRun">Units the receiver reported run (done, settled, closed; else 0).</param>
public readonly record struct ContractTransfer(ContractRole Role, NodeId Partner, ContractOffer Offer, TransferState State, uint UnitsRun)
{
    /// <summary>The transfer's id.</summary>
    public TransferId Id => Offer.Transfer;

    /// <summary>True when nothing more happens to it on this side (aborted, settled, closed).</summary>
    public bool IsFinished => State is TransferState.Aborted or TransferState.Settled or TransferState.Closed;
}
