using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Policy.Planning;

/// <summary>
/// Exact dynamic programme over one server's market intervals (5 to 60 minutes, the rack's interval): power
/// cycling (boot energy, minimum on/off times, cycles per day, protection), the deferrable job's slots and
/// deadline, and the best cap per interval, at given energy prices (EUR per Wh of IT energy, fans included).
/// Index 0 of the plan is absolute interval <c>startInterval</c>; the interval of the day is
/// <c>interval % IntervalsPerDay</c> (the index counts UTC instants, so a day is always the same number of
/// intervals: clock changes do not exist here).
/// </summary>
/// <remarks>
/// State: (up, intervals in state capped at max(min on, min off), cycles today, slots left). Per interval the
/// interactive cap choice does not depend on the state, so it is solved first (exactly, see
/// <see cref="ServerEconomics.BestInteractiveWork"/>). Events at the start of an interval: the day's cycle
/// count resets at midnight, a job due this interval is settled (slots left are missed and penalised), a job
/// released this interval sets slots left to the job's slots. Values are per interval: energy is power times
/// the interval's length, a boot costs its energy whatever the interval. Buffers are allocated once, so
/// <see cref="Solve"/> allocates nothing.
/// </remarks>
public sealed class ServerPlanner
{
    private readonly ServerEconomics _econ;
    private readonly int _hcap;
    private readonly int _cdim;
    private readonly int _rdim;
    private readonly int _maxHorizon;
    private double[] _v;
    private double[] _vNext;
    private readonly byte[]? _decisions;
    private readonly byte[] _firstDecisions;
    private readonly double[] _arrive;

    /// <summary>Creates a planner for a server with the given economics, able to plan up to <paramref name="maxHorizon"/> hours.</summary>
    /// <param name="economics">The server and its job class.</param>
    /// <param name="maxHorizon">Longest plan.</param>
    /// <param name="keepDecisions">Keep every hour's decisions, so that <see cref="Trace"/> can replay the whole plan.</param>
    public ServerPlanner(ServerEconomics economics, int maxHorizon, bool keepDecisions)
    {
        _econ = economics;
        ServerSpec s = economics.Server;
        _hcap = Math.Max(economics.MinOnIntervals, economics.MinOffIntervals);
        _cdim = s.MaxCyclesPerDay + 1;
        _rdim = economics.Class.Deferrable ? economics.JobSlots + 1 : 1;
        StateCount = 2 * _hcap * _cdim * _rdim;
        _maxHorizon = maxHorizon;
        _v = new double[StateCount];
        _vNext = new double[StateCount];
        _firstDecisions = new byte[StateCount];
        _arrive = new double[StateCount];
        if (keepDecisions)
        {
            _decisions = new byte[checked(maxHorizon * StateCount)];
        }
    }

    /// <summary>Number of DP states.</summary>
    public int StateCount { get; }

    /// <summary>The server's economics.</summary>
    public ServerEconomics Economics => _econ;

    /// <summary>Index of a state (after clamping intervals in state to the cap).</summary>
    public int Index(in CycleState s)
    {
        int h = Math.Clamp(s.IntervalsInState, 1, _hcap) - 1;
        int c = Math.Clamp(s.CyclesToday, 0, _cdim - 1);
        int r = Math.Clamp(s.RemainingSlots, 0, _rdim - 1);
        return ((((s.On ? 1 : 0) * _hcap) + h) * _cdim + c) * _rdim + r;
    }

    /// <summary>
    /// Solves the plan backwards and returns the optimal value from <paramref name="initial"/>
    /// (value of work minus energy cost minus deadline penalties, in EUR, fan minimum excluded).
    /// </summary>
    /// <param name="startInterval">Absolute interval of plan index 0.</param>
    /// <param name="eurPerWh">Price of IT energy (EUR/Wh) per interval of the plan.</param>
    /// <param name="demand">Interactive demand per interval (fraction of full throughput); ignored for deferrable classes.</param>
    /// <param name="terminalOff">Value at the end of the plan of being down (e.g. minus a boot's cost); 0 for a full horizon.</param>
    /// <param name="initial">State at the start.</param>
    /// <param name="firstAction">The optimal action in hour 0 from <paramref name="initial"/>.</param>
    public double Solve(long startInterval, ReadOnlySpan<double> eurPerWh, ReadOnlySpan<double> demand, double terminalOff, in CycleState initial, out HourAction firstAction)
    {
        int horizon = eurPerWh.Length;
        if (horizon < 1 || horizon > _maxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(eurPerWh), $"horizon must be 1..{_maxHorizon}");
        }

        bool deferrable = _econ.Class.Deferrable;
        if (!deferrable && demand.Length < horizon)
        {
            throw new ArgumentException("demand must cover the horizon", nameof(demand));
        }

        // Terminal values.
        for (int i = 0; i < StateCount; i++)
        {
            _vNext[i] = IsOn(i) ? 0 : terminalOff;
        }

        ServerSpec spec = _econ.Server;
        JobClass cls = _econ.Class;
        double missPerSlot = cls.MissPenaltyEurPerUnit * _econ.SlotWork;
        double slotValue = cls.ValuePerUnitEur * _econ.SlotWork;
        double dt = _econ.IntervalHours;
        int perDay = _econ.IntervalsPerDay;
        for (int t = horizon - 1; t >= 0; t--)
        {
            long abs = startInterval + t;
            double e = eurPerWh[t];
            double runValue;
            if (deferrable)
            {
                runValue = -e * _econ.IdleWatts * dt;
            }
            else
            {
                _econ.BestInteractiveWork(demand[t], e, out runValue);
                runValue *= dt;
            }

            double slot = slotValue - (e * _econ.SlotWatts * dt);
            double boot = -e * _econ.BootWatts * dt;
            long next = abs + 1;
            int nextOfDay = (int)(next % perDay);
            bool resetCycles = nextOfDay == 0;
            bool due = deferrable && nextOfDay == _econ.DeadlineIntervalOfDay;
            bool release = deferrable && nextOfDay == _econ.ReleaseIntervalOfDay;
            // Value of arriving in each raw state after this hour: the next hour's events applied
            // (cycle reset, deadline penalty, release), then the next hour's value.
            int sc = _cdim * _rdim;
            int rdim = _rdim;
            int cdim = _cdim;
            int hcap = _hcap;
            for (int head = 0; head < StateCount; head += sc)
            {
                for (int c = 0; c < cdim; c++)
                {
                    int from = head + ((resetCycles ? 0 : c) * rdim);
                    int j = head + (c * rdim);
                    for (int r = 0; r < rdim; r++)
                    {
                        double pen = due ? -missPerSlot * r : 0;
                        int r2 = release ? rdim - 1 : due ? 0 : r;
                        _arrive[j + r] = pen + _vNext[from + r2];
                    }
                }
            }

            bool mayOff = !spec.Protected;
            bool keep = _decisions is not null;
            int dbase = t * StateCount;
            int idx = 0;
            for (int on = 0; on < 2; on++)
            {
                for (int hm1 = 0; hm1 < hcap; hm1++)
                {
                    int hn = hm1 + 1 < hcap ? hm1 + 1 : hcap - 1;
                    bool canOff = on == 1 && mayOff && hm1 + 1 >= _econ.MinOnIntervals;
                    bool canBoot = on == 0 && hm1 + 1 >= _econ.MinOffIntervals;
                    for (int c = 0; c < cdim; c++)
                    {
                        int stayBase = (((on * hcap) + hn) * sc) + (c * rdim);
                        int offBase = ((c + 1) * rdim);
                        int bootBase = (hcap * sc) + (c * rdim);
                        bool offOk = canOff && c < cdim - 1;
                        for (int r = 0; r < rdim; r++, idx++)
                        {
                            double best;
                            byte act = (byte)HourAction.Stay;
                            if (on == 1)
                            {
                                best = runValue + _arrive[stayBase + r];
                                if (r > 0)
                                {
                                    double v = slot + _arrive[stayBase + r - 1];
                                    if (v > best)
                                    {
                                        best = v;
                                        act = (byte)HourAction.RunSlot;
                                    }
                                }

                                if (offOk)
                                {
                                    double v = _arrive[offBase + r];
                                    if (v > best)
                                    {
                                        best = v;
                                        act = (byte)HourAction.Switch;
                                    }
                                }
                            }
                            else
                            {
                                best = _arrive[stayBase + r];
                                if (canBoot)
                                {
                                    double v = boot + _arrive[bootBase + r];
                                    if (v > best)
                                    {
                                        best = v;
                                        act = (byte)HourAction.Switch;
                                    }
                                }
                            }

                            _v[idx] = best;
                            if (keep)
                            {
                                _decisions![dbase + idx] = act;
                            }

                            if (t == 0)
                            {
                                _firstDecisions[idx] = act;
                            }
                        }
                    }
                }
            }

            (_v, _vNext) = (_vNext, _v);
        }

        int i0 = Index(initial);
        firstAction = (HourAction)_firstDecisions[i0];
        return _vNext[i0];
    }

    private bool IsOn(int idx) => idx >= StateCount / 2;

    /// <summary>
    /// The optimal action at plan interval <paramref name="step"/> from <paramref name="state"/>, from the last
    /// <see cref="Solve"/> (which must have kept decisions). Any state can be looked up: one solve serves
    /// every identical server and every later interval of the same plan.
    /// </summary>
    public HourAction DecisionAt(int step, in CycleState state)
    {
        if (_decisions is null)
        {
            throw new InvalidOperationException("this planner does not keep decisions");
        }

        return (HourAction)_decisions[(step * StateCount) + Index(state)];
    }

    /// <summary>
    /// Replays the plan of the last <see cref="Solve"/> (which must have kept decisions) from
    /// <paramref name="initial"/>, writing the action of each interval.
    /// </summary>
    public void Trace(long startInterval, in CycleState initial, Span<HourAction> actions)
    {
        if (_decisions is null)
        {
            throw new InvalidOperationException("this planner does not keep decisions");
        }

        CycleState s = initial;
        for (int t = 0; t < actions.Length; t++)
        {
            HourAction a = (HourAction)_decisions[(t * StateCount) + Index(s)];
            actions[t] = a;
            s = Step(startInterval + t, s, a, _econ, out _);
        }
    }

    /// <summary>
    /// The state after interval <paramref name="interval"/> with action <paramref name="action"/>, events of the next
    /// interval applied (cycle reset, deadline, release). The same rules the rack simulator enforces.
    /// </summary>
    /// <param name="missedSlots">Slots of a job that fell due at the start of the next interval unfinished.</param>
    public static CycleState Step(long interval, in CycleState s, HourAction action, ServerEconomics econ, out int missedSlots)
    {
        int hcap = Math.Max(econ.MinOnIntervals, econ.MinOffIntervals);
        bool on = s.On;
        int h = Math.Min(s.IntervalsInState + 1, hcap);
        int c = s.CyclesToday;
        int r = s.RemainingSlots;
        switch (action)
        {
            case HourAction.RunSlot when on && r > 0:
                r--;
                break;
            case HourAction.Switch when on:
                on = false;
                h = 1;
                c++;
                break;
            case HourAction.Switch:
                on = true;
                h = 1;
                break;
        }

        return ApplyEvents(interval + 1, new CycleState(on, h, c, r), econ, out missedSlots);
    }

    /// <summary>Applies the events at the start of <paramref name="interval"/>: midnight resets cycles, a due job is settled, a job is released.</summary>
    public static CycleState ApplyEvents(long interval, in CycleState s, ServerEconomics econ, out int missedSlots)
    {
        missedSlots = 0;
        int ofDay = (int)(interval % econ.IntervalsPerDay);
        int c = ofDay == 0 ? 0 : s.CyclesToday;
        int r = s.RemainingSlots;
        if (econ.Class.Deferrable)
        {
            if (ofDay == econ.DeadlineIntervalOfDay)
            {
                missedSlots = r;
                r = 0;
            }

            if (ofDay == econ.ReleaseIntervalOfDay)
            {
                r = econ.JobSlots;
            }
        }

        return s with { CyclesToday = c, RemainingSlots = r };
    }

    /// <summary>Whether <paramref name="action"/> is allowed for a server in state <paramref name="s"/>.</summary>
    public static bool IsLegal(in CycleState s, HourAction action, ServerEconomics econ) => action switch
    {
        HourAction.Stay => true,
        HourAction.RunSlot => s.On && econ.Class.Deferrable && s.RemainingSlots > 0,
        HourAction.Switch when s.On => !econ.Server.Protected && s.IntervalsInState >= econ.MinOnIntervals && s.CyclesToday < econ.Server.MaxCyclesPerDay,
        HourAction.Switch => s.IntervalsInState >= econ.MinOffIntervals,
        _ => false,
    };
}
