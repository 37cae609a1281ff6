namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// A load contract as the exchange enforces it on one board (the policy's <c>LoadContract</c>, converted by the
/// firmware and the simulator: prices in micros, hours in unix milliseconds, the partner as a node id). Only the two
/// partners hold it; offers under it go only to <see cref="Partner"/>, and offers from <see cref="Partner"/> are checked
/// against it before the board's policy sees them.
/// </summary>
/// <param name="ContractId">The contract's id, the same in both partners' configurations (1..2^32-1).</param>
/// <param name="Partner">The other board.</param>
/// <param name="PriceMinMicros">Lowest unit price, in micros.</param>
/// <param name="PriceMaxMicros">Highest unit price, in micros.</param>
/// <param name="MaxUnits">Most units one transfer may carry (the contract's hourly cap).</param>
/// <param name="ClassesOut">Job classes this board may offer (bit i = class i).</param>
/// <param name="ClassesIn">Job classes this board accepts.</param>
/// <param name="ValidFromMs">First instant (unix ms) the contract may be used.</param>
/// <param name="ValidToMs">First instant it may no longer be used.</param>
public readonly record struct ContractTerms(
    uint ContractId,
    NodeId Partner,
    uint PriceMinMicros,
    uint PriceMaxMicros,
    uint MaxUnits,
    ulong ClassesOut,
    ulong ClassesIn,
    long ValidFromMs,
    long ValidToMs)
{
    /// <summary>Null when usable by <paramref name="self"/>; otherwise what is wrong, naming the field.</summary>
    public string? Validate(NodeId self)
    {
        if (ContractId == 0)
        {
            return "contractId: must be 1..4294967295";
        }
        if (!Partner.IsValid || Partner == self)
        {
            return "partner: must be another board's node id";
        }
        if (PriceMaxMicros > ContractLimits.MaxUnitPriceMicros || PriceMinMicros > PriceMaxMicros)
        {
            return $"priceMin/priceMax: must satisfy 0 <= min <= max <= {ContractLimits.MaxUnitPriceMicros} micros";
        }
        if (MaxUnits is < 1 or > ContractLimits.MaxUnits)
        {
            return $"maxUnits: must be within 1..{ContractLimits.MaxUnits}";
        }
        if (ClassesOut == 0 && ClassesIn == 0)
        {
            return "classesOut/classesIn: the contract moves no job class either way";
        }
        if (ValidFromMs >= ValidToMs)
        {
            return "validFrom: must be before validTo";
        }
        return null;
    }

    /// <summary>True when the contract may be used at <paramref name="nowMs"/>.</summary>
    public bool IsValidAt(long nowMs) => nowMs >= ValidFromMs && nowMs < ValidToMs;

    /// <summary>Why this board (the receiver) refuses <paramref name="offer"/> under the contract at <paramref name="nowMs"/>,
    /// or <see cref="RefuseReason.None"/> when the offer is within the contract (the policy then decides).</summary>
    public RefuseReason Check(in ContractOffer offer, long nowMs)
    {
        if (!IsValidAt(nowMs))
        {
            return RefuseReason.ContractNotValid;
        }
        if ((ClassesIn & (1UL << offer.JobClass)) == 0)
        {
            return RefuseReason.ClassNotAccepted;
        }
        if (offer.Units > MaxUnits)
        {
            return RefuseReason.OverUnitCap;
        }
        if (offer.UnitPriceMicros < PriceMinMicros || offer.UnitPriceMicros > PriceMaxMicros)
        {
            return RefuseReason.PriceOutOfRange;
        }
        return offer.DecideByMs <= nowMs ? RefuseReason.Expired : RefuseReason.None;
    }
}
