namespace EdgeGovernor.Policy;

/// <summary>Rack-wide outcome of one decision.</summary>
/// <param name="Mode">Rule set used.</param>
/// <param name="ItWatts">Expected IT power (W).</param>
/// <param name="FanWatts">Fan power floor to program (W): minimum speed plus what the IT heat needs.</param>
/// <param name="ShadowPriceCentsPerKwh">Rack shadow price of the budget on top of the energy price (c/kWh of IT energy); 0 when the budget does not bind.</param>
/// <param name="ShedSlots">Deferrable hours dropped this period because the envelope could not hold them.</param>
/// <param name="EnvelopeHeld">Expected IT power is within the IT budget (PDU budget after fans, thermal limit).</param>
public readonly record struct RackDecision(PolicyMode Mode, double ItWatts, double FanWatts, double ShadowPriceCentsPerKwh, int ShedSlots, bool EnvelopeHeld)
{
    /// <summary>Expected rack power, fans included (W).</summary>
    public double RackWatts => ItWatts + FanWatts;
}
