namespace EdgeGovernor.Protocol.Contracts;

/// <summary>What a <see cref="ContractEffect"/> asks the exchange's host to do. The host carries out a call's effects in
/// the order given; a <see cref="Journal"/> effect must be durable before the next one is carried out.</summary>
public enum ContractEffectKind : byte
{
    /// <summary>Append <see cref="ContractEffect.Record"/> to the journal and sync it, before anything after it.</summary>
    Journal = 1,

    /// <summary>Send <see cref="ContractEffect.Message"/> to its recipient: the signed bytes are
    /// <see cref="ContractEffects.Payload(int)"/>, for the node's reliable unicast on <see cref="ContractExchangeOptions.Channel"/>.</summary>
    Send = 2,

    /// <summary>Receiver: an offer within the contract awaits this board's policy; answer it with
    /// <see cref="ContractExchange.Answer"/> before its decide-by deadline (accepting reserves the capacity).</summary>
    Judge = 3,

    /// <summary>Owner: the units are the partner's (never run them; the payment is owed). Receiver: the units are this
    /// board's to run by the run-by deadline (the payment is due); report them with <see cref="ContractExchange.ReportDone"/>.</summary>
    Committed = 4,

    /// <summary>Owner: the transfer did not happen (refused, or unresolved at the decide-by deadline): run the units
    /// yourself. Receiver: release the reservation.</summary>
    Aborted = 5,

    /// <summary>Owner: the partner reported the transfer finished, <see cref="ContractTransfer.UnitsRun"/> units run.</summary>
    Settled = 6,
}
