using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy;

/// <summary>
/// The rack governor: once per control period, from the price in force (or the fact that it is stale),
/// the day-ahead prices published so far, the measured rack state and the queued deferrable jobs, it
/// writes one setpoint per server. Pure: no clock, no I/O, no allocation after construction.
/// </summary>
/// <remarks>
/// <para>It works at the market interval of the rack (<see cref="RackSpec.IntervalMinutes"/>: 5, 15, 30 or 60
/// minutes). Once per interval (when <see cref="PolicyInput.Interval"/> changes, or the mode changes) it plans each
/// server's interval with the exact per-server dynamic programme (<see cref="ServerPlanner"/>) over the
/// prices it knows: the day-ahead prices published so far, and beyond them the price seen 24 h earlier
/// (persistence forecast). Deferrable servers plan up to their job's deadline (or the next job's),
/// interactive servers <see cref="GovernorOptions.InteractiveHorizonHours"/> ahead with their current
/// demand. Identical servers in identical states share one plan. Under a solve budget
/// (<see cref="GovernorOptions.MaxPlanSolvesPerCall"/>) the servers are planned round robin: an interval's planning
/// starts at the first server the previous interval left without a plan (server 0 when none). With a carbon price
/// (<see cref="GovernorOptions.CarbonPricePerTonne"/>) every price it decides on is the effective price
/// <c>price + carbonPrice × intensity / 10</c> (c/kWh).</para>
/// <para>Every call it then enforces the envelope and sets the caps: the floors of all servers (boots,
/// idle, deferrable slots, interactive servers at their minimum cap) must fit the IT budget, else
/// deferrable slots with the most slack are shed; the rest of the budget is water-filled
/// (<see cref="CapAllocator"/>) at the price in force.</para>
/// <para>Deferrable plans are priced with the budget: each group's plan is solved at the price plus, per interval, the
/// interactive value its slots would displace where the budget binds (<see cref="CongestionForecast"/>: the servers up
/// now at today's demand, and the power of the other groups' kept plans traced from their states), so the groups do not
/// all crowd into the cheapest intervals and cut interactive work worth more than the price difference. The prices are
/// a forecast (demand may change, a group's servers share one plan): under a tight budget several deferrable jobs may
/// still plan the same intervals, more than the budget holds at once. Each interval a deadline guard
/// (<see cref="DeadlineGuard"/>) checks that the work left still fits before its deadlines and,
/// if not, runs the most urgent jobs now.</para>
/// </remarks>
public sealed class Governor : IRackPolicy
{
    /// <summary>Longest plan the governor makes (h); <see cref="MaxHorizon"/> intervals.</summary>
    public const int MaxHorizonHours = 48;

    /// <summary>Hours a kept deferrable plan must still see ahead to be used.</summary>
    private const int MinTableLookaheadHours = 12;

    private readonly int _minTableLookahead;
    private readonly int _perDay;
    private readonly RackSpec _rack;
    private readonly GovernorOptions _options;
    private readonly ServerPlanner[] _planners;
    private readonly ServerPlanner?[] _tables;
    private readonly long[] _tableStart;
    private readonly int[] _tableHorizon;
    private readonly long[] _tableKnownEnd;
    private readonly PolicyMode[] _tableMode;
    private readonly CapAllocator _allocator;
    private readonly ServerEconomics?[] _active;
    private readonly double[] _work;
    private readonly double[] _hi;
    private readonly double[] _prices;
    private readonly double[] _eur;
    private readonly double[] _demand;
    private readonly double[] _history;
    private readonly HourAction[] _plan;
    private readonly bool[] _planDone;
    private readonly long[] _planKey;
    private readonly int[] _remaining;
    private readonly long[] _deadline;
    private readonly DeadlineGuard _guard;
    private readonly CongestionForecast _congestion;
    private readonly double[] _otherWatts;
    private readonly double[] _deferrableEur;
    private bool _congestionBuilt;
    private long _plannedInterval = long.MinValue;
    private int _solvesLeft;
    private int _planFrom;
    private int _firstPending = -1;
    private bool _plansPending;
    private PolicyMode _plannedMode;

    /// <summary>Creates a governor for <paramref name="rack"/>; allocates every buffer it will use.</summary>
    public Governor(RackSpec rack, GovernorOptions? options = null)
    {
        _rack = rack;
        _options = options ?? new GovernorOptions();
        if (_options.InteractiveHorizonHours is < 1 or > MaxHorizonHours)
        {
            throw new ArgumentException($"interactive horizon must be 1..{MaxHorizonHours} h");
        }

        if (!(_options.CarbonPricePerTonne >= 0) || !double.IsFinite(_options.CarbonPricePerTonne))
        {
            throw new ArgumentException($"carbon price must be >= 0 per tonne, got {_options.CarbonPricePerTonne}");
        }

        MaxHorizon = MaxHorizonHours * rack.IntervalsPerHour;
        _minTableLookahead = MinTableLookaheadHours * rack.IntervalsPerHour;
        _perDay = rack.IntervalsPerDay;
        _prices = new double[MaxHorizon];
        _eur = new double[MaxHorizon];
        _demand = new double[MaxHorizon];
        _history = new double[_perDay];

        int n = rack.Servers.Count;
        _planners = new ServerPlanner[rack.GroupCount];
        for (int i = 0; i < n; i++)
        {
            _planners[rack.Group(i)] ??= new ServerPlanner(rack.Economics(i), MaxHorizon, keepDecisions: false);
        }

        _tables = new ServerPlanner?[rack.GroupCount];
        for (int i = 0; i < n; i++)
        {
            if (rack.Economics(i).Class.Deferrable)
            {
                _tables[rack.Group(i)] ??= new ServerPlanner(rack.Economics(i), MaxHorizon, keepDecisions: true);
            }
        }

        _tableStart = new long[rack.GroupCount];
        Array.Fill(_tableStart, long.MinValue);
        _tableHorizon = new int[rack.GroupCount];
        _tableKnownEnd = new long[rack.GroupCount];
        _tableMode = new PolicyMode[rack.GroupCount];

        _allocator = new CapAllocator(n);
        _active = new ServerEconomics?[n];
        _work = new double[n];
        _hi = new double[n];
        _plan = new HourAction[n];
        _planDone = new bool[n];
        _planKey = new long[n];
        _remaining = new int[n];
        _deadline = new long[n];
        _guard = new DeadlineGuard(rack, _plan, _remaining, _deadline, MaxHorizon);
        _congestion = new CongestionForecast(n);
        _otherWatts = new double[MaxHorizon];
        _deferrableEur = new double[MaxHorizon];
        Array.Fill(_history, double.NaN);
    }

    /// <inheritdoc/>
    public string Name => "governor";

    /// <summary>Longest plan the governor makes (intervals: <see cref="MaxHorizonHours"/> hours at the rack's interval); day-ahead prices beyond it are not used.</summary>
    public int MaxHorizon { get; }

    /// <summary>Dynamic programmes solved so far (diagnostics: plans are solved at interval boundaries and when prices arrive).</summary>
    public long PlanSolves { get; private set; }

    /// <summary>The rack this governor runs.</summary>
    public RackSpec Rack => _rack;

    /// <summary>
    /// Decides one control period. Writes <paramref name="setpoints"/> (one per server) and returns the
    /// rack-wide outcome. Never throws for bad prices or demands (stale, NaN, out of range): they select the
    /// safe policy or are clamped; it throws <see cref="ArgumentException"/> only for spans of the wrong size
    /// or a negative interval index (see <see cref="PolicyInput.Interval"/>).
    /// </summary>
    public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
    {
        int n = _rack.Servers.Count;
        if (input.Servers.Length != n || setpoints.Length < n)
        {
            throw new ArgumentException($"expected {n} server states and setpoints");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(input.Interval);
        bool stale = input.PriceStale || !double.IsFinite(input.PriceCentsPerKwh);
        PolicyMode mode = !stale ? PolicyMode.Normal
            : _options.SafePolicy == SafePolicy.FixedCap ? PolicyMode.StaleFixedCap : PolicyMode.StaleFallbackPrice;
        double price = mode switch
        {
            PolicyMode.Normal => Effective(input.PriceCentsPerKwh, input.CarbonKgPerKwh),
            PolicyMode.StaleFallbackPrice => _options.FallbackPriceCentsPerKwh,
            _ => 0,
        };

        CollectJobs(input);
        if (input.Interval != _plannedInterval || mode != _plannedMode || _plansPending)
        {
            if (mode == PolicyMode.Normal)
            {
                _history[(int)(input.Interval % _perDay)] = price;
            }

            Plan(input, mode, price);
            _guard.Keep(input, mayBoot: mode != PolicyMode.StaleFixedCap);
            _plannedInterval = input.Interval;
            _plannedMode = mode;
        }

        return Allocate(input, mode, price, setpoints);
    }

    /// <summary>The price the governor decides on: <paramref name="centsPerKwh"/> plus the carbon price times <paramref name="kgPerKwh"/> (c/kWh); an unknown intensity adds nothing.</summary>
    private double Effective(double centsPerKwh, double kgPerKwh) =>
        _options.CarbonPricePerTonne > 0 && double.IsFinite(kgPerKwh) ? centsPerKwh + (_options.CarbonPricePerTonne * Math.Max(0, kgPerKwh) / 10) : centsPerKwh;

    /// <summary>
    /// Applies an interval's plan made elsewhere (an operator override, or the offline optimiser's schedule in
    /// evaluation) within the envelope: the deadline guard adds the slots waiting would miss, illegal switches are dropped, deferrable slots shed if the floors do
    /// not fit, and interactive caps water-filled at the price in force, as <see cref="Decide"/> does.
    /// </summary>
    public RackDecision ApplyPlan(scoped in PolicyInput input, ReadOnlySpan<HourAction> plan, Span<ServerSetpoint> setpoints)
    {
        int n = _rack.Servers.Count;
        if (input.Servers.Length != n || setpoints.Length < n || plan.Length < n)
        {
            throw new ArgumentException($"expected {n} server states, plan entries and setpoints");
        }

        bool stale = input.PriceStale || !double.IsFinite(input.PriceCentsPerKwh);
        CollectJobs(input);
        plan[..n].CopyTo(_plan);
        // The plan may have been made without the budget (the offline relaxation): the deadline guard runs the
        // urgent jobs that waiting would make miss.
        _guard.Keep(input, mayBoot: !stale);
        _plannedInterval = long.MinValue;
        return Allocate(input, stale ? PolicyMode.StaleFallbackPrice : PolicyMode.Normal, stale ? _options.FallbackPriceCentsPerKwh : Effective(input.PriceCentsPerKwh, input.CarbonKgPerKwh), setpoints);
    }

    private void CollectJobs(scoped in PolicyInput input)
    {
        Array.Clear(_remaining);
        Array.Fill(_deadline, long.MaxValue);
        foreach (DeferrableJob j in input.Jobs)
        {
            if ((uint)j.Server < (uint)_remaining.Length && j.RemainingSlots > 0)
            {
                _remaining[j.Server] += j.RemainingSlots;
                _deadline[j.Server] = Math.Min(_deadline[j.Server], j.DeadlineInterval);
            }
        }
    }

    private void Plan(scoped in PolicyInput input, PolicyMode mode, double price)
    {
        _solvesLeft = _options.MaxPlanSolvesPerCall > 0 ? _options.MaxPlanSolvesPerCall : int.MaxValue;
        _plansPending = false;
        _congestionBuilt = false;
        if (input.Interval != _plannedInterval || mode != _plannedMode)
        {
            // A new interval or rule set: every server's plan is due again, starting with the first server the solve
            // budget left without a plan (round robin, so no server waits for ever behind the others).
            _planFrom = Math.Max(0, _firstPending);
            Array.Clear(_planDone);
            Array.Fill(_planKey, long.MinValue);
        }
        int n = _rack.Servers.Count;
        long now = input.Interval;
        _firstPending = -1;
        if (mode == PolicyMode.StaleFixedCap)
        {
            // No prices: cycle nothing; run deferrable work only where its deadline leaves no slack.
            for (int i = 0; i < n; i++)
            {
                ServerEconomics e = _rack.Economics(i);
                bool mustRun = e.Class.Deferrable && input.Servers[i].PoweredOn && _remaining[i] > 0 && _deadline[i] - now <= _remaining[i];
                _plan[i] = mustRun ? HourAction.RunSlot : HourAction.Stay;
            }

            return;
        }

        FillPrices(input, mode, price);
        double mean = 0;
        for (int t = 0; t < MaxHorizon; t++)
        {
            _eur[t] = _rack.EurPerItWh(_prices[t]);
            mean += _eur[t];
        }

        mean /= MaxHorizon;
        int ih = _options.InteractiveHorizonHours * _rack.IntervalsPerHour;
        double maxEur = double.NegativeInfinity;
        for (int t = 0; t < ih; t++)
        {
            maxEur = Math.Max(maxEur, _eur[t]);
        }

        long knownEnd = mode == PolicyMode.Normal ? now + input.DayAhead.Length : long.MaxValue;
        for (int k = 0; k < n; k++)
        {
            int i = (_planFrom + k) % n;
            ServerEconomics e = _rack.Economics(i);
            ServerState st = input.Servers[i];
            var cs = new CycleState(st.PoweredOn, Math.Max(1, st.IntervalsInState), Math.Max(0, st.CyclesToday), _remaining[i]);
            int g = _rack.Group(i);
            if (_planDone[i] && !e.Class.Deferrable)
            {
                continue;
            }

            if (e.Class.Deferrable)
            {
                _plan[i] = DeferrablePlan(input, g, e, now, knownEnd, mode, mean).DecisionAt((int)(now - _tableStart[g]), cs);
                continue;
            }

            double demand = double.IsFinite(st.Demand) ? Math.Clamp(st.Demand, 0, 1) : 1;
            _planDone[i] = true;
            if (st.PoweredOn && e.Server.Protected)
            {
                _plan[i] = HourAction.Stay;
                continue;
            }

            // Value falls as the price rises: if the dearest interval ahead still pays for staying on,
            // every interval does, and powering off cannot gain (an interval off is worth 0, a boot costs).
            e.BestInteractiveWork(demand, maxEur, out double worst);
            if (st.PoweredOn && worst >= 0)
            {
                _plan[i] = HourAction.Stay;
                continue;
            }

            if (_solvesLeft <= 0)
            {
                // Over this call's solve budget: keep the server as it is until a later period plans it.
                _plan[i] = HourAction.Stay;
                _planDone[i] = false;
                _plansPending = true;
                _firstPending = _firstPending < 0 ? i : _firstPending;
                continue;
            }

            ServerPlanner planner = _planners[g];
            long key = ((long)g << 40) ^ ((long)planner.Index(cs) << 8) ^ BitConverter.DoubleToInt64Bits(demand) * 31;
            int same = Array.IndexOf(_planKey, key);
            _planKey[i] = key;
            if (same >= 0)
            {
                _plan[i] = _plan[same];
                continue;
            }

            _demand.AsSpan(0, ih).Fill(demand);
            _solvesLeft--;
            PlanSolves++;
            planner.Solve(now, _eur.AsSpan(0, ih), _demand.AsSpan(0, ih), -mean * e.Server.BootEnergyWh, cs, out HourAction a);
            _plan[i] = a;
        }
    }

    /// <summary>
    /// The deferrable plan of group <paramref name="g"/>: solved for every state up to the deadline after next,
    /// and kept for later intervals (a plan over the same prices stays optimal: Bellman) until fewer than
    /// <see cref="MinTableLookaheadHours"/> hours of it remain, new day-ahead prices arrive or the mode changes.
    /// </summary>
    private ServerPlanner DeferrablePlan(scoped in PolicyInput input, int g, ServerEconomics e, long now, long knownEnd, PolicyMode mode, double meanEur)
    {
        ServerPlanner table = _tables[g]!;
        // Valid while it still sees MinTableLookaheadHours ahead, no new prices have been published and the
        // mode is the same: in practice remade once a day, when the next day's prices arrive.
        bool usable = _tableStart[g] != long.MinValue && now >= _tableStart[g] && now < _tableStart[g] + _tableHorizon[g] && mode == _tableMode[g];
        bool fresh = usable && now + _minTableLookahead <= _tableStart[g] + _tableHorizon[g] && knownEnd <= _tableKnownEnd[g];
        if (!fresh && usable && _solvesLeft <= 0)
        {
            // Over budget: the kept plan is still a valid plan (for older prices); a later period refreshes it.
            _plansPending = true;
        }
        else if (!fresh)
        {
            _solvesLeft--;
            PlanSolves++;
            long due = now + ((e.DeadlineIntervalOfDay - (now % _perDay) + _perDay) % _perDay);
            if (due == now)
            {
                due += _perDay;
            }

            int horizon = (int)Math.Min(MaxHorizon, due + _perDay - now);
            PriceCongestion(input, g, e, now, horizon);
            table.Solve(now, _deferrableEur.AsSpan(0, horizon), _demand.AsSpan(0, horizon), -meanEur * e.Server.BootEnergyWh, default, out _);
            _tableStart[g] = now;
            _tableHorizon[g] = horizon;
            _tableKnownEnd[g] = knownEnd;
            _tableMode[g] = mode;
        }

        return table;
    }

    /// <summary>
    /// The prices group <paramref name="g"/>'s deferrable plan is solved at: each interval's price plus the interactive
    /// value its servers' power would displace where the budget binds (<see cref="CongestionForecast"/>), given the
    /// servers up now at today's demand and the other deferrable groups' kept plans traced from their states. Without
    /// it every group plans the same cheap intervals, where the budget then cuts interactive work worth more.
    /// </summary>
    private void PriceCongestion(scoped in PolicyInput input, int g, ServerEconomics e, long now, int horizon)
    {
        if (!_congestionBuilt)
        {
            _congestion.Build(_rack, input.Servers);
            _congestionBuilt = true;
        }

        Array.Clear(_otherWatts, 0, horizon);
        int size = 0;
        for (int j = 0; j < _rack.Servers.Count; j++)
        {
            ServerEconomics ej = _rack.Economics(j);
            int gj = _rack.Group(j);
            if (!ej.Class.Deferrable)
            {
                continue;
            }

            if (gj == g)
            {
                size++;
                continue;
            }

            ServerPlanner? table = _tables[gj];
            if (table is null || _tableStart[gj] == long.MinValue || now < _tableStart[gj])
            {
                continue;
            }

            // Its power in each interval relative to what the forecast's floor counts for it (idle if up now).
            ServerState st = input.Servers[j];
            var s = new CycleState(st.PoweredOn, Math.Max(1, st.IntervalsInState), Math.Max(0, st.CyclesToday), _remaining[j]);
            double counted = st.PoweredOn ? ej.IdleWatts : 0;
            long end = Math.Min(now + horizon, _tableStart[gj] + _tableHorizon[gj]);
            for (long t = now; t < end; t++)
            {
                HourAction a = table.DecisionAt((int)(t - _tableStart[gj]), s);
                double w = a switch
                {
                    HourAction.Switch => s.On ? 0 : ej.BootWatts,
                    HourAction.RunSlot when s.On && s.RemainingSlots > 0 => ej.SlotWatts,
                    _ => s.On ? ej.IdleWatts : 0,
                };
                _otherWatts[t - now] += w - counted;
                s = ServerPlanner.Step(t, s, a, ej, out _);
            }
        }

        double band = size * (e.SlotWatts - e.IdleWatts);
        double headroom = _rack.ItBudgetWatts - _congestion.FloorWatts;
        for (int k = 0; k < horizon; k++)
        {
            _deferrableEur[k] = _eur[k] + _congestion.ExtraEurPerWh(_eur[k], headroom - _otherWatts[k], band);
        }
    }

    private void FillPrices(scoped in PolicyInput input, PolicyMode mode, double price)
    {
        _prices[0] = price;
        for (int t = 1; t < MaxHorizon; t++)
        {
            double p = mode == PolicyMode.Normal && t < input.DayAhead.Length ? input.DayAhead[t] : double.NaN;
            if (mode != PolicyMode.Normal)
            {
                p = price;
            }
            else if (double.IsFinite(p))
            {
                // Intensity ahead, or (persistence) the one in force.
                p = Effective(p, t < input.CarbonAhead.Length && double.IsFinite(input.CarbonAhead[t]) ? input.CarbonAhead[t] : input.CarbonKgPerKwh);
            }
            else
            {
                // Persistence: the same interval one day earlier (from this plan or from what was seen).
                p = t >= _perDay ? _prices[t - _perDay] : _history[(int)((input.Interval + t) % _perDay)];
                if (!double.IsFinite(p))
                {
                    p = price;
                }
            }

            _prices[t] = p;
        }
    }

    private RackDecision Allocate(scoped in PolicyInput input, PolicyMode mode, double price, Span<ServerSetpoint> setpoints)
    {
        int n = _rack.Servers.Count;
        double floor = 0;
        double eur = _rack.EurPerItWh(price);
        for (int i = 0; i < n; i++)
        {
            ServerEconomics e = _rack.Economics(i);
            ServerState st = input.Servers[i];
            HourAction a = _plan[i];
            ref ServerSetpoint sp = ref setpoints[i];
            sp = default;
            _active[i] = null;
            _work[i] = 0;
            _hi[i] = 0;
            if (a == HourAction.RunSlot && (!st.PoweredOn || _remaining[i] == 0))
            {
                a = HourAction.Stay;
            }

            if (a == HourAction.Switch && !ServerPlanner.IsLegal(new CycleState(st.PoweredOn, st.IntervalsInState, st.CyclesToday, 0), a, e))
            {
                a = HourAction.Stay;
            }

            sp.Action = a;
            if (!st.PoweredOn)
            {
                if (a == HourAction.Switch)
                {
                    sp.Command = PowerCommand.PowerOn;
                    sp.ExpectedWatts = e.BootWatts;
                }

                floor += sp.ExpectedWatts;
                continue;
            }

            if (a == HourAction.Switch)
            {
                sp.Command = PowerCommand.PowerOff;
                continue;
            }

            if (e.Class.Deferrable)
            {
                sp.RunDeferrable = a == HourAction.RunSlot;
                sp.CapWatts = sp.RunDeferrable ? e.Server.CapMaxWatts : e.Server.CapMinWatts;
                sp.ExpectedWatts = sp.RunDeferrable ? e.SlotWatts : e.IdleWatts;
                sp.ExpectedWork = sp.RunDeferrable ? e.MaxWork : 0;
                floor += sp.ExpectedWatts;
                continue;
            }

            double demand = double.IsFinite(st.Demand) ? Math.Clamp(st.Demand, 0, 1) : 1;
            (double lo, double hi) = e.InteractiveRange(demand);
            if (mode == PolicyMode.StaleFixedCap)
            {
                hi = Math.Max(lo, Math.Min(hi, e.WorkAtCap(_options.SafeCapWatts)));
            }

            _active[i] = e;
            _work[i] = lo;
            _hi[i] = hi;
            floor += e.PowerForWork(lo);
        }

        int shed = 0;
        double budget = _rack.ItBudgetWatts;
        while (floor > budget && ShedOne(input.Interval, setpoints, ref floor))
        {
            shed++;
        }

        double allocEur = mode == PolicyMode.StaleFixedCap ? double.NegativeInfinity : eur;
        double used = _allocator.Allocate(_active, _work, _hi, allocEur, budget - floor, out double shadow);
        double it = 0;
        for (int i = 0; i < n; i++)
        {
            ref ServerSetpoint sp = ref setpoints[i];
            ServerEconomics? e = _active[i];
            if (e is not null)
            {
                sp.ExpectedWork = _work[i];
                sp.ExpectedWatts = e.PowerForWork(_work[i]);
                sp.CapWatts = e.CapForWork(_work[i]);
            }

            it += sp.ExpectedWatts;
        }

        _ = used;
        return new RackDecision(mode, it, _rack.FanWatts(it), shadow * 100_000.0 / (1 + _rack.FanWattsPerItWatt), shed, it <= budget + 1e-6);
    }

    private bool ShedOne(long now, Span<ServerSetpoint> setpoints, ref double floor)
    {
        int pick = -1;
        long bestSlack = long.MinValue;
        for (int i = 0; i < setpoints.Length && i < _remaining.Length; i++)
        {
            ref ServerSetpoint sp = ref setpoints[i];
            long slack = sp.RunDeferrable ? _deadline[i] - now - _remaining[i] : long.MinValue;
            if (sp.RunDeferrable && slack > bestSlack)
            {
                bestSlack = slack;
                pick = i;
            }
        }

        if (pick < 0)
        {
            return false;
        }

        ServerEconomics e = _rack.Economics(pick);
        ref ServerSetpoint p = ref setpoints[pick];
        p.RunDeferrable = false;
        p.Action = HourAction.Stay;
        p.CapWatts = e.Server.CapMinWatts;
        floor -= p.ExpectedWatts - e.IdleWatts;
        p.ExpectedWatts = e.IdleWatts;
        p.ExpectedWork = 0;
        return true;
    }
}
