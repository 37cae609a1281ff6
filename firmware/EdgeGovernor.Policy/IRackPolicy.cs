namespace EdgeGovernor.Policy;

/// <summary>
/// Anything that turns one control period's input into setpoints: the governor, the evaluation's
/// baselines and the offline optimum's replay.
/// </summary>
public interface IRackPolicy
{
    /// <summary>Name used in reports.</summary>
    string Name { get; }

    /// <summary>Writes one setpoint per server for the period described by <paramref name="input"/>.</summary>
    RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints);
}
