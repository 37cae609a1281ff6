namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>The governor's run at one carbon price (money in the run's currency).</summary>
/// <param name="CarbonPricePerTonne">Carbon price the governor added to the energy price (per tonne CO2).</param>
/// <param name="EnergyCost">Energy cost paid.</param>
/// <param name="Co2Kg">Emissions (kg CO2).</param>
/// <param name="NetValue">Value of the work done minus the energy cost.</param>
/// <param name="NetValueAfterCarbon">Net value minus the carbon price times the emissions.</param>
/// <param name="EnergyKwh">Energy drawn (kWh).</param>
/// <param name="WorkUnits">Work done (units).</param>
/// <param name="DeadlinesMissed">Deferrable jobs late.</param>
/// <param name="EnvelopeViolations">Intervals over the envelope.</param>
public sealed record CarbonTradeOff(
    double CarbonPricePerTonne,
    double EnergyCost,
    double Co2Kg,
    double NetValue,
    double NetValueAfterCarbon,
    double EnergyKwh,
    double WorkUnits,
    int DeadlinesMissed,
    int EnvelopeViolations);
