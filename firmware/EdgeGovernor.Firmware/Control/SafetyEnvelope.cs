using EdgeGovernor.Hal.Hwmon;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The limits no price overrides, applied to measured values after every decision: a rack drawing more than
/// <see cref="BudgetWatts"/> scales every cap down by budget / draw; a server hotter than
/// <see cref="MaxTemperatureC"/> goes to its minimum cap; no fan runs below <see cref="MinFanDuty"/>. Pure: numbers
/// in, numbers out; the controller counts the interventions (<see cref="RackReading.EnvelopeActions"/>).
/// </summary>
/// <param name="BudgetWatts">PDU budget of the rack (<c>rack.budgetWatts</c>), fans included.</param>
/// <param name="MaxTemperatureC">Temperature above which a server is held at its minimum cap (<c>rack.maxTemperatureC</c>).</param>
/// <param name="MinFanDuty">Lowest fan duty, 0..1 (<c>rack.minFanDuty</c>).</param>
internal readonly record struct SafetyEnvelope(double BudgetWatts, double MaxTemperatureC, double MinFanDuty)
{
    /// <summary>The lowest fan duty on the hwmon scale (0..<see cref="FanValidation.MaxDuty"/>), rounded up.</summary>
    public int MinimumFanDuty => (int)Math.Ceiling(MinFanDuty * FanValidation.MaxDuty);

    /// <summary>The factor every cap is scaled by for a measured rack draw: budget / draw above the budget, else 1.</summary>
    public double BudgetScale(double measuredWatts) => measuredWatts > BudgetWatts ? BudgetWatts / measuredWatts : 1.0;

    /// <summary>
    /// The cap a server gets: <paramref name="requestedWatts"/> x <paramref name="budgetScale"/> within
    /// <paramref name="minWatts"/>..<paramref name="maxWatts"/>, or <paramref name="minWatts"/> when
    /// <paramref name="temperatureC"/> is above the limit (<paramref name="tooHot"/>).
    /// </summary>
    public double Cap(double requestedWatts, double budgetScale, double minWatts, double maxWatts, double temperatureC, out bool tooHot)
    {
        double cap = Math.Clamp(requestedWatts * budgetScale, minWatts, maxWatts);
        tooHot = temperatureC > MaxTemperatureC;
        return tooHot ? minWatts : cap;
    }
}
