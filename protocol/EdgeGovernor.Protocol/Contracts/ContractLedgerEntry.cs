namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// One board's books with one partner, from its own journal: units and payments committed each way and units reported
/// run. The two partners' entries agree once every committed transfer is known on both sides: this board's
/// <see cref="UnitsOut"/>, <see cref="PaidMicros"/> and <see cref="UnitsRunByPartner"/> equal the partner's
/// <see cref="UnitsIn"/>, <see cref="ReceivedMicros"/> and <see cref="UnitsRunForPartner"/>.
/// </summary>
/// <param name="Partner">The partner.</param>
/// <param name="UnitsOut">Units this board committed to the partner (it owned them).</param>
/// <param name="PaidMicros">What this board owes the partner for them (units × unit price at commit), in micros.</param>
/// <param name="UnitsRunByPartner">Of those, units the partner reported run (settled transfers).</param>
/// <param name="UnitsIn">Units the partner committed to this board.</param>
/// <param name="ReceivedMicros">What the partner owes this board for them, in micros.</param>
/// <param name="UnitsRunForPartner">Of those, units this board reported run (done transfers).</param>
public readonly record struct ContractLedgerEntry(
    NodeId Partner,
    long UnitsOut,
    long PaidMicros,
    long UnitsRunByPartner,
    long UnitsIn,
    long ReceivedMicros,
    long UnitsRunForPartner)
{
    /// <summary>True when <paramref name="partners"/> (the partner's entry for this board) books the same units and money the other way round.</summary>
    public bool AgreesWith(in ContractLedgerEntry partners) =>
        UnitsOut == partners.UnitsIn && PaidMicros == partners.ReceivedMicros && UnitsRunByPartner == partners.UnitsRunForPartner
        && UnitsIn == partners.UnitsOut && ReceivedMicros == partners.PaidMicros && UnitsRunForPartner == partners.UnitsRunByPartner;
}
