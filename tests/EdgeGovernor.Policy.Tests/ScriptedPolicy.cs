using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy.Tests;

/// <summary>Plays a fixed schedule of hour actions; caps water-filled within the budget at the true price.</summary>
internal sealed class ScriptedPolicy(RackSpec rack, long startHour) : IRackPolicy
{
    private readonly Governor _applier = new(rack);
    private readonly HourAction[] _hour = new HourAction[rack.Servers.Count];

    public HourAction[][] Script { get; set; } = [];

    public string Name => "scripted";

    public int Shed { get; private set; }

    public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
    {
        int t = (int)(input.Interval - startHour);
        for (int i = 0; i < _hour.Length; i++)
        {
            _hour[i] = Script[i][t];
        }

        RackDecision d = _applier.ApplyPlan(input, _hour, setpoints);
        Shed += d.ShedSlots;
        return d;
    }
}
