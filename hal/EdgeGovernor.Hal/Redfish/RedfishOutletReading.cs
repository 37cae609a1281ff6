namespace EdgeGovernor.Hal.Redfish;

/// <summary>One reading of a PDU outlet.</summary>
/// <param name="PowerState">The outlet's <c>PowerState</c>.</param>
/// <param name="Watts"><c>PowerWatts.Reading</c>, or NaN when the outlet has no power sensor.</param>
/// <param name="EnergyKWh"><c>EnergykWh.Reading</c>, or NaN when the outlet has no energy sensor.</param>
public readonly record struct RedfishOutletReading(RedfishPowerState PowerState, double Watts, double EnergyKWh)
{
    /// <summary>True when the outlet is on (or turning on).</summary>
    public bool IsOn => PowerState is RedfishPowerState.On or RedfishPowerState.PoweringOn;
}
