using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Offline;

/// <summary>
/// Perfect-foresight optimum over the same model the policies run on.
/// </summary>
/// <remarks>
/// <para>Without the rack budget, servers are independent: each one's optimum is an exact dynamic
/// programme over its hours (<see cref="ServerPlanner"/>), and identical servers share it. The budget
/// couples servers hour by hour; it is priced out by Lagrangian relaxation: for any multipliers
/// <c>lambda_t &gt;= 0</c>, <c>sum_s V_s(price + lambda) + sum_t lambda_t * budget</c> is an upper
/// bound on every feasible schedule (weak duality). The multipliers are improved by projected
/// subgradient steps and the lowest bound is kept.</para>
/// <para>Feasible schedules: every iteration's plan (power cycling and deferrable slots) is replayed through the
/// rack model with the caps water-filled under the budget at the true price (<see cref="Governor.ApplyPlan"/>),
/// and the best replay is kept; it also sharpens the Polyak step. The iterations stop when the gap between the
/// bound and the best feasible schedule is at most <see cref="TargetGap"/> of the bound (certified), or after the
/// iteration limit. When the budget never binds the first iteration is feasible and equal to the bound: the
/// optimum is exact. Otherwise both numbers are reported: the optimum lies between them.</para>
/// </remarks>
public sealed class OfflineOptimum : IRackPolicy
{
    private readonly Scenario _scenario;
    private readonly HourAction[][] _groupPlan;
    private readonly int[] _groupSize;
    private readonly int[] _groupFirst;
    private readonly Governor _applier;
    private readonly HourAction[] _hourPlan;
    private HourAction[][] _replay;

    /// <summary>Relative gap (bound - best feasible) / bound at which the iterations stop.</summary>
    public const double TargetGap = 0.001;

    /// <summary>Solves the scenario.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="maxIterations">Subgradient iterations when the budget binds (0: 300; they stop earlier once the gap is at most <see cref="TargetGap"/>).</param>
    public OfflineOptimum(Scenario scenario, int maxIterations = 0)
    {
        _scenario = scenario;
        RackSpec rack = scenario.Rack;
        int hours = scenario.Intervals;
        int groups = rack.GroupCount;
        _groupPlan = new HourAction[groups][];
        _groupSize = new int[groups];
        _groupFirst = new int[groups];
        Array.Fill(_groupFirst, -1);
        for (int i = 0; i < rack.Servers.Count; i++)
        {
            int g = rack.Group(i);
            _groupSize[g]++;
            if (_groupFirst[g] < 0)
            {
                _groupFirst[g] = i;
            }
        }

        _applier = new Governor(rack);
        _hourPlan = new HourAction[rack.Servers.Count];
        var planners = new ServerPlanner[groups];
        var plans = new HourAction[groups][];
        var bestPlans = new HourAction[groups][];
        for (int g = 0; g < groups; g++)
        {
            planners[g] = new ServerPlanner(rack.Economics(_groupFirst[g]), hours, keepDecisions: true);
            plans[g] = new HourAction[hours];
            bestPlans[g] = new HourAction[hours];
            _groupPlan[g] = new HourAction[hours];
        }

        _replay = plans;

        double dt = rack.IntervalHours;
        double fanMinCost = 0;
        var baseEur = new double[hours];
        for (int t = 0; t < hours; t++)
        {
            fanMinCost += rack.FanMinWatts * dt * scenario.Prices[t] / 100_000.0;
            baseEur[t] = rack.EurPerItWh(scenario.Prices[t]);
        }

        var lambda = new double[hours];
        var eur = new double[hours];
        var it = new double[hours];
        double best = double.PositiveInfinity;
        double lower = double.NegativeInfinity;
        double budget = rack.ItBudgetWatts;
        int iter = 0;
        int sinceBest = 0;
        double theta = 1;
        if (maxIterations <= 0)
        {
            maxIterations = 300;
        }

        while (iter < maxIterations)
        {
            iter++;
            for (int t = 0; t < hours; t++)
            {
                eur[t] = baseEur[t] + lambda[t];
            }

            Array.Clear(it);
            double dual = -fanMinCost;
            for (int t = 0; t < hours; t++)
            {
                dual += lambda[t] * budget * dt;
            }

            for (int g = 0; g < groups; g++)
            {
                int first = _groupFirst[g];
                ServerPlanner p = planners[g];
                CycleState s0 = scenario.InitialState(first);
                dual += _groupSize[g] * p.Solve(scenario.StartInterval, eur, scenario.Demand.AsSpan(0, hours), 0, s0, out _);
                p.Trace(scenario.StartInterval, s0, plans[g]);
                AddPower(p.Economics, scenario, s0, plans[g], eur, _groupSize[g], it);
            }

            bool feasible = true;
            double slackness = 0;
            double norm = 0;
            for (int t = 0; t < hours; t++)
            {
                double gap = it[t] - budget;
                feasible &= gap <= 1e-6;
                slackness += lambda[t] * -gap;
                if (gap > 0 || lambda[t] > 0)
                {
                    norm += gap * gap;
                }
            }

            if (dual < best - 1e-12)
            {
                best = dual;
                sinceBest = 0;
                for (int g = 0; g < groups; g++)
                {
                    plans[g].CopyTo(_groupPlan[g], 0);
                }
            }
            else if (++sinceBest >= 4)
            {
                theta /= 2;
                sinceBest = 0;
            }

            if (feasible && slackness <= 1e-9 * Math.Max(1, Math.Abs(dual)))
            {
                lower = Math.Max(lower, Replay(scenario, plans, bestPlans, lower));
                break;
            }

            // This iteration's plan replayed within the budget: a feasible value (for the gap and Polyak's step).
            lower = Math.Max(lower, Replay(scenario, plans, bestPlans, lower));
            if (norm <= 0 || best - lower <= TargetGap * Math.Max(1e-9, Math.Abs(best)))
            {
                break;
            }

            // Polyak's step towards the best feasible value (or, before one is found, 1 % below the bound).
            double target = double.IsFinite(lower) ? lower : best - (0.01 * Math.Max(1, Math.Abs(best)));
            double step = theta * (dual - target) / norm;
            for (int t = 0; t < hours; t++)
            {
                lambda[t] = Math.Max(0, lambda[t] + (step * (it[t] - budget)));
            }
        }

        // Decide replays the best feasible schedule found (or, if none kept the rules, the best bound's plan).
        _replay = double.IsFinite(lower) ? bestPlans : _groupPlan;
        Ledger replay = RackSimulator.Run(scenario, this);
        double feasibleValue = replay.EnvelopeViolations == 0 && replay.RuleViolations == 0 ? replay.ObjectiveEur : double.NegativeInfinity;
        Result = new OfflineBound(best, feasibleValue, feasibleValue >= best - (1e-7 * Math.Max(1, Math.Abs(best))), iter);
    }

    /// <summary>Replays <paramref name="plans"/>; if it keeps the envelope and rules and beats <paramref name="lower"/>, copies it to <paramref name="bestPlans"/>. Returns its objective (or -inf).</summary>
    private double Replay(Scenario scenario, HourAction[][] plans, HourAction[][] bestPlans, double lower)
    {
        _replay = plans;
        Ledger l = RackSimulator.Run(scenario, this);
        double value = l.EnvelopeViolations == 0 && l.RuleViolations == 0 ? l.ObjectiveEur : double.NegativeInfinity;
        if (value > lower)
        {
            for (int g = 0; g < plans.Length; g++)
            {
                plans[g].CopyTo(bestPlans[g], 0);
            }
        }

        return value;
    }

    /// <summary>The bound and the feasible value.</summary>
    public OfflineBound Result { get; }

    /// <inheritdoc/>
    public string Name => "offline-optimum";

    private static void AddPower(ServerEconomics e, Scenario sc, CycleState s, HourAction[] plan, double[] eur, int count, double[] it)
    {
        for (int t = 0; t < plan.Length; t++)
        {
            HourAction a = plan[t];
            double w;
            if (a == HourAction.Switch)
            {
                w = s.On ? 0 : e.BootWatts;
            }
            else if (!s.On)
            {
                w = 0;
            }
            else if (e.Class.Deferrable)
            {
                w = a == HourAction.RunSlot ? e.SlotWatts : e.IdleWatts;
            }
            else
            {
                w = e.PowerForWork(e.BestInteractiveWork(sc.Demand[t], eur[t], out _));
            }

            it[t] += count * w;
            s = ServerPlanner.Step(sc.StartInterval + t, s, a, e, out _);
        }
    }

    /// <summary>Replays the best feasible plan: its power cycling and deferrable slots, caps water-filled at the true price within the budget.</summary>
    public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
    {
        int t = (int)(input.Interval - _scenario.StartInterval);
        for (int i = 0; i < _hourPlan.Length; i++)
        {
            _hourPlan[i] = _replay[_scenario.Rack.Group(i)][t];
        }

        return _applier.ApplyPlan(input, _hourPlan, setpoints);
    }
}
