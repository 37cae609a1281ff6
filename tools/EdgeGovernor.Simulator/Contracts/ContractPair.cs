namespace EdgeGovernor.Simulator.Contracts;

/// <summary>One validated load contract of a <c>run</c> scenario: <see cref="Owner"/> offers units to <see cref="Receiver"/>.</summary>
/// <param name="ContractId">The contract's id on both nodes (its index in the section + 1).</param>
/// <param name="Owner">Node index that owns and offers the units.</param>
/// <param name="Receiver">Node index that runs them once committed.</param>
/// <param name="PriceMinMicros">Lowest unit price.</param>
/// <param name="PriceMaxMicros">Highest unit price.</param>
/// <param name="MaxUnits">Most units per offer.</param>
/// <param name="Classes">Job classes moved (bit mask, not 0).</param>
internal readonly record struct ContractPair(uint ContractId, int Owner, int Receiver, uint PriceMinMicros, uint PriceMaxMicros, uint MaxUnits, ulong Classes);
