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
/// <para>Feasible schedules, in two stages. (1) Iteration plans (power cycling and deferrable slots, one per group of
/// identical servers) are replayed through the rack model with the caps water-filled under the budget at the true price
/// (<see cref="Governor.ApplyPlan"/>): the first iterations' and then every <see cref="ReplayEvery"/>-th; the best replay is
/// kept and sharpens the Polyak step. The iterations stop when the gap between the bound and the best feasible schedule
/// is at most <see cref="TargetGap"/> of the bound, or after the iteration limit. (2) A local search on that schedule,
/// one plan per server: the replay records each interval's shadow price of the budget (the interactive value a watt
/// more would buy); each server that can move (deferrable, or interactive and not protected) in turn gets its exact
/// best plan at the energy price plus those shadow prices (its dynamic programme, a best response to the others), and
/// the move is kept when the replayed schedule is worth more. Passes over the servers repeat until one changes nothing
/// (at most <see cref="MaxSearchPasses"/>). The relaxed plans move every identical server and every deferrable job
/// into the same cheap intervals at once; the search spreads them where the budget binds, which is where the
/// relaxation's bound and its replay differ.</para>
/// <para>When the budget never binds the first iteration is feasible and equal to the bound: the optimum is exact.
/// Otherwise both numbers are reported, and the optimum lies between them: the certified gap is
/// (bound - best feasible) / bound.</para>
/// </remarks>
public sealed class OfflineOptimum : IRackPolicy
{
    private readonly Scenario _scenario;
    private readonly HourAction[][] _groupPlan;
    private readonly int[] _groupSize;
    private readonly int[] _groupFirst;
    private readonly Governor _applier;
    private readonly HourAction[] _hourPlan;
    private readonly double[] _shadow;
    private HourAction[][] _replay;

    /// <summary>Relative gap (bound - best feasible) / bound at which the iterations stop.</summary>
    public const double TargetGap = 0.001;

    /// <summary>Most passes of the shadow-price local search over the servers that can move (see the remarks).</summary>
    public const int MaxSearchPasses = 8;

    /// <summary>After the first this many iterations, every this-many-th iteration's plan is replayed.</summary>
    private const int ReplayEvery = 10;

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
        _shadow = new double[hours];
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

        _replay = new HourAction[rack.Servers.Count][];

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

            // This iteration's plan replayed within the budget: a feasible value (for the gap and Polyak's step). A replay
            // costs about two iterations; after the first few, every ReplayEvery-th plan is replayed (the local search
            // at the end does the rest).
            if (iter <= ReplayEvery || iter % ReplayEvery == 0)
            {
                lower = Math.Max(lower, Replay(scenario, plans, bestPlans, lower));
            }

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

        // The best feasible schedule found (or, if none kept the rules, the best bound's plan), one plan per server,
        // improved server by server against the budget's shadow prices.
        HourAction[][] start = double.IsFinite(lower) ? bestPlans : _groupPlan;
        var serverPlans = new HourAction[rack.Servers.Count][];
        for (int i = 0; i < serverPlans.Length; i++)
        {
            serverPlans[i] = (HourAction[])start[rack.Group(i)].Clone();
        }

        _replay = serverPlans;
        Ledger replay = RackSimulator.Run(scenario, this);
        double feasibleValue = Feasible(replay);
        double tolerance = 1e-7 * Math.Max(1, Math.Abs(best));
        if (double.IsFinite(feasibleValue) && feasibleValue < best - tolerance)
        {
            feasibleValue = Search(planners, baseEur, serverPlans, feasibleValue, out int moves);
            SearchMoves = moves;
        }

        Result = new OfflineBound(best, feasibleValue, feasibleValue >= best - tolerance, iter);
    }

    private static double Feasible(Ledger l) => l.EnvelopeViolations == 0 && l.RuleViolations == 0 ? l.ObjectiveEur : double.NegativeInfinity;

    /// <summary>
    /// Local search on the feasible schedule in <paramref name="plans"/> (value <paramref name="value"/>, replayed last,
    /// so <see cref="_shadow"/> holds its shadow prices): each server that can move in turn gets its best plan at the
    /// energy price plus the budget's shadow price of the current schedule (its exact dynamic programme); the move is
    /// kept if the replayed schedule is worth more. Passes repeat until one moves nothing or <see cref="MaxSearchPasses"/>.
    /// </summary>
    private double Search(ServerPlanner[] planners, double[] baseEur, HourAction[][] plans, double value, out int moves)
    {
        RackSpec rack = _scenario.Rack;
        int hours = baseEur.Length;
        var eur = new double[hours];
        var shadow = (double[])_shadow.Clone();
        var candidate = new HourAction[hours];
        moves = 0;
        for (int pass = 0; pass < MaxSearchPasses; pass++)
        {
            bool moved = false;
            for (int i = 0; i < plans.Length; i++)
            {
                ServerEconomics e = rack.Economics(i);
                if (e.Server.Protected && !e.Class.Deferrable)
                {
                    continue;
                }

                for (int t = 0; t < hours; t++)
                {
                    eur[t] = baseEur[t] + shadow[t];
                }

                ServerPlanner p = planners[rack.Group(i)];
                CycleState s0 = _scenario.InitialState(i);
                p.Solve(_scenario.StartInterval, eur, _scenario.Demand.AsSpan(0, hours), 0, s0, out _);
                p.Trace(_scenario.StartInterval, s0, candidate);
                if (candidate.AsSpan().SequenceEqual(plans[i]))
                {
                    continue;
                }

                HourAction[] kept = plans[i];
                plans[i] = candidate;
                double v = Feasible(RackSimulator.Run(_scenario, this));
                if (v > value + (1e-9 * Math.Max(1, Math.Abs(value))))
                {
                    value = v;
                    moves++;
                    moved = true;
                    _shadow.CopyTo(shadow, 0);
                    candidate = kept;
                }
                else
                {
                    plans[i] = kept;
                }
            }

            if (!moved)
            {
                break;
            }
        }

        // Leave the kept schedule as the one Decide replays (the last replay may have been a rejected move).
        _replay = plans;
        return value;
    }

    /// <summary>Replays <paramref name="plans"/> (one per group); if it keeps the envelope and rules and beats <paramref name="lower"/>, copies it to <paramref name="bestPlans"/>. Returns its objective (or -inf).</summary>
    private double Replay(Scenario scenario, HourAction[][] plans, HourAction[][] bestPlans, double lower)
    {
        for (int i = 0; i < _replay.Length; i++)
        {
            _replay[i] = plans[scenario.Rack.Group(i)];
        }

        double value = Feasible(RackSimulator.Run(scenario, this));
        if (value > lower)
        {
            for (int g = 0; g < plans.Length; g++)
            {
                plans[g].CopyTo(bestPlans[g], 0);
            }
        }

        return value;
    }

    /// <summary>Moves the shadow-price local search kept (0 when the schedule it starts from already meets the bound).</summary>
    public int SearchMoves { get; }

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
            _hourPlan[i] = _replay[i][t];
        }

        RackDecision d = _applier.ApplyPlan(input, _hourPlan, setpoints);
        _shadow[t] = _scenario.Rack.EurPerItWh(d.ShadowPriceCentsPerKwh);
        return d;
    }
}
