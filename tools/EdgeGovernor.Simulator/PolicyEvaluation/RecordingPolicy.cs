using EdgeGovernor.Policy;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Wraps a policy and records, hour by hour, the power state the rack model gave each server and the setpoints
/// the policy wrote, so that the run can be replayed on the simulated rack afterwards (<see cref="RackReplay"/>).
/// </summary>
public sealed class RecordingPolicy : IRackPolicy
{
    private readonly IRackPolicy _inner;
    private readonly bool[][] _on;
    private readonly ServerSetpoint[][] _setpoints;

    /// <summary>Wraps <paramref name="inner"/> for a run of <paramref name="hours"/> hours over <paramref name="servers"/> servers.</summary>
    public RecordingPolicy(IRackPolicy inner, int hours, int servers)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _on = new bool[hours][];
        _setpoints = new ServerSetpoint[hours][];
        for (int t = 0; t < hours; t++)
        {
            _on[t] = new bool[servers];
            _setpoints[t] = new ServerSetpoint[servers];
        }
    }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <summary>Hours recorded so far.</summary>
    public int Hours { get; private set; }

    /// <summary>Whether server <paramref name="server"/> was up at the start of hour <paramref name="hour"/> (as the rack model had it).</summary>
    public bool WasOn(int hour, int server) => _on[hour][server];

    /// <summary>The setpoint the policy wrote for server <paramref name="server"/> in hour <paramref name="hour"/>.</summary>
    public ref readonly ServerSetpoint Setpoint(int hour, int server) => ref _setpoints[hour][server];

    /// <inheritdoc/>
    public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
    {
        RackDecision decision = _inner.Decide(input, setpoints);
        if (Hours >= _on.Length)
        {
            throw new InvalidOperationException($"{Name}: more decisions than the {_on.Length} hours recorded");
        }

        for (int i = 0; i < setpoints.Length; i++)
        {
            _on[Hours][i] = input.Servers[i].PoweredOn;
            _setpoints[Hours][i] = setpoints[i];
        }

        Hours++;
        return decision;
    }
}
