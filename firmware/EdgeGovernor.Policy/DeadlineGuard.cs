using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy;

/// <summary>
/// The governor's deadline guard. The per-server plans do not see each other: under a tight budget several
/// deferrable jobs may plan the same cheap hours, more than the budget holds at once. Once per plan
/// <see cref="Keep"/> checks that the work left still fits before its deadlines and, if not, makes the most
/// urgent jobs run now, rewriting the interval's plan in place. It shares the governor's plan, remaining slots
/// and deadlines (arrays the governor fills) and owns its own scratch; allocation-free after construction.
/// </summary>
internal sealed class DeadlineGuard
{
    private readonly RackSpec _rack;
    private readonly HourAction[] _plan;
    private readonly int[] _remaining;
    private readonly long[] _deadline;
    private readonly int[] _jobOrder;
    private readonly int[] _simLeft;
    private readonly bool[] _simRun;
    private readonly bool[] _simUpNext;
    private readonly int _horizon;

    /// <summary>Creates the guard over the governor's <paramref name="plan"/>, <paramref name="remaining"/> slots and <paramref name="deadline"/>s, looking <paramref name="horizon"/> intervals ahead.</summary>
    public DeadlineGuard(RackSpec rack, HourAction[] plan, int[] remaining, long[] deadline, int horizon)
    {
        _horizon = horizon;
        _rack = rack;
        _plan = plan;
        _remaining = remaining;
        _deadline = deadline;
        int n = rack.Servers.Count;
        _jobOrder = new int[n];
        _simLeft = new int[n];
        _simRun = new bool[n];
        _simUpNext = new bool[n];
    }

    /// <summary>
    /// Deadline guard, once per plan. The interval's plan (its slots, less those <c>Governor.Allocate</c> would shed)
    /// must leave work that still fits before its deadlines if, from the next interval on, the budget left above
    /// the floors is filled earliest deadline first (a server that is down can work from the interval after its
    /// boot). While it does not, the most urgent job that is not running (earliest deadline, then least
    /// slack) is made to run now: its server stays up and runs, or, if it is down, boots now (not under the
    /// stale-price fixed cap, which cycles nothing). A check on the
    /// best case: it moves work earlier only when waiting would miss a deadline (up to the packing of unequal
    /// slots). Allocation-free.
    /// </summary>
    public void Keep(scoped in PolicyInput input, bool mayBoot)
    {
        int n = _rack.Servers.Count;
        long now = input.Interval;
        int jobs = 0;
        for (int i = 0; i < n; i++)
        {
            if (_rack.Economics(i).Class.Deferrable && _remaining[i] > 0 && _deadline[i] > now)
            {
                // Insertion sort: earliest deadline first, then least slack.
                int k = jobs++;
                while (k > 0 && Before(i, _jobOrder[k - 1], now))
                {
                    _jobOrder[k] = _jobOrder[k - 1];
                    k--;
                }

                _jobOrder[k] = i;
            }
        }

        for (int round = 0; round <= jobs; round++)
        {
            if (FitsBeforeDeadlines(input, jobs, now))
            {
                return;
            }

            int pick = -1;
            for (int k = 0; k < jobs && pick < 0; k++)
            {
                int i = _jobOrder[k];
                ServerState st = input.Servers[i];
                if (st.PoweredOn ? _plan[i] != HourAction.RunSlot
                    : mayBoot && _plan[i] != HourAction.Switch && ServerPlanner.IsLegal(Cycle(st), HourAction.Switch, _rack.Economics(i)))
                {
                    pick = i;
                }
            }

            if (pick < 0)
            {
                return;
            }

            _plan[pick] = input.Servers[pick].PoweredOn ? HourAction.RunSlot : HourAction.Switch;
        }
    }

    private static CycleState Cycle(in ServerState st) => new(st.PoweredOn, st.IntervalsInState, st.CyclesToday, 0);

    private bool Before(int a, int b, long now) =>
        _deadline[a] < _deadline[b] || (_deadline[a] == _deadline[b] && _deadline[a] - now - _remaining[a] < _deadline[b] - now - _remaining[b]);

    /// <summary>Plays this interval's plan (slots shed as <c>Governor.ShedOne</c> would) and the best case after it.</summary>
    private bool FitsBeforeDeadlines(scoped in PolicyInput input, int jobs, long now)
    {
        // Floors as Allocate counts them: this interval (boots, idle, interactive minimum) and the next (who is up then).
        double floorNow = 0, floorNext = 0;
        for (int i = 0; i < _rack.Servers.Count; i++)
        {
            ServerEconomics e = _rack.Economics(i);
            ServerState st = input.Servers[i];
            bool sw = _plan[i] == HourAction.Switch && ServerPlanner.IsLegal(Cycle(st), HourAction.Switch, e);
            double floor = e.Class.Deferrable ? e.IdleWatts : e.PowerForWork(e.InteractiveRange(double.IsFinite(st.Demand) ? Math.Clamp(st.Demand, 0, 1) : 1).Lo);
            _simUpNext[i] = st.PoweredOn != sw;
            floorNow += !st.PoweredOn ? (sw ? e.BootWatts : 0) : sw ? 0 : floor;
            floorNext += _simUpNext[i] ? floor : 0;
        }

        double budget = _rack.ItBudgetWatts;
        double used = 0;
        for (int k = 0; k < jobs; k++)
        {
            int i = _jobOrder[k];
            ServerEconomics e = _rack.Economics(i);
            _simRun[i] = _plan[i] == HourAction.RunSlot && input.Servers[i].PoweredOn;
            used += _simRun[i] ? e.SlotWatts - e.IdleWatts : 0;
            _simLeft[i] = _remaining[i];
        }

        while (used > budget - floorNow + 1e-9)
        {
            int shed = -1;
            long most = long.MinValue;
            for (int k = 0; k < jobs; k++)
            {
                int i = _jobOrder[k];
                long slack = _deadline[i] - now - _remaining[i];
                if (_simRun[i] && (slack > most || (slack == most && i < shed)))
                {
                    most = slack;
                    shed = i;
                }
            }

            _simRun[shed] = false;
            used -= _rack.Economics(shed).SlotWatts - _rack.Economics(shed).IdleWatts;
        }

        for (int k = 0; k < jobs; k++)
        {
            int i = _jobOrder[k];
            _simLeft[i] -= _simRun[i] ? 1 : 0;
            if (_simLeft[i] > 0 && _deadline[i] <= now + 1)
            {
                return false;
            }
        }

        // The intervals after it, earliest deadline first within the headroom above the next interval's floors; a server
        // that is down and not booting now could boot next interval and work from the interval after (checked up to the
        // longest plan: later deadlines have time enough to be planned).
        for (long t = now + 1; t < now + _horizon; t++)
        {
            double left = budget - floorNext;
            bool any = false;
            for (int k = 0; k < jobs; k++)
            {
                int i = _jobOrder[k];
                if (_simLeft[i] <= 0)
                {
                    continue;
                }

                any = true;
                ServerEconomics e = _rack.Economics(i);
                // Up next interval: its idle power is in the floor. Otherwise it can work from the interval after next,
                // drawing its whole slot power on top of the floors.
                bool can = _simUpNext[i] || t > now + 1;
                double extra = e.SlotWatts - (_simUpNext[i] ? e.IdleWatts : 0);
                if (can && extra <= left + 1e-9)
                {
                    left -= extra;
                    _simLeft[i]--;
                }

                if (_simLeft[i] > 0 && _deadline[i] <= t + 1)
                {
                    return false;
                }
            }

            if (!any)
            {
                return true;
            }
        }

        return true;
    }
}
