namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// One thing a call into <see cref="ContractExchange"/> asks its host to do (see <see cref="ContractEffectKind"/>).
/// Read it from <see cref="ContractEffects"/>.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Transfer">The transfer, as this side holds it after the call.</param>
/// <param name="Record">The record to journal (<see cref="ContractEffectKind.Journal"/>).</param>
/// <param name="Message">The message to send (<see cref="ContractEffectKind.Send"/>; its signed bytes are
/// <see cref="ContractEffects.Payload(int)"/>).</param>
/// <param name="Reason">Why an owner's transfer aborted (<see cref="ContractEffectKind.Aborted"/>: the partner's refusal,
/// or <see cref="RefuseReason.None"/> when the decide-by deadline passed or the partner aborted nothing).</param>
public readonly record struct ContractEffect(
    ContractEffectKind Kind,
    ContractTransfer Transfer,
    ContractJournalRecord Record = default,
    ContractMessage Message = default,
    RefuseReason Reason = RefuseReason.None)
{
    /// <summary>Where the signed bytes of a send start in the effects' buffer.</summary>
    internal int PayloadStart { get; init; }

    /// <summary>Length of the signed bytes of a send.</summary>
    internal int PayloadLength { get; init; }
}
