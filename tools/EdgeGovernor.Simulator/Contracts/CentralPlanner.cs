namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The reference for <c>evaluate-contracts</c>: one planner that sees every rack's free capacity and every owner's
/// batch queue (no privacy) and places each unit, earliest deadline first, in the cheapest free (rack, hour) slot of
/// the whole federation before its deadline, a slot on another rack costing the migration cost more; within one
/// deadline the owners with the most efficient servers place first. Greedy, like each rack's own planner, and
/// re-planned every hour over the same horizon: a strong reference, not a proven optimum.
/// </summary>
internal sealed class CentralPlanner
{
    private readonly FederationRack[] _racks;
    private readonly int _horizon;
    private readonly double _migration;
    private readonly double[] _cost;
    private readonly int[] _free;
    private readonly int[] _order;
    private readonly double[] _orderKeys;
    private readonly int[][] _own;
    private readonly int[] _byEfficiency;

    public CentralPlanner(FederationRack[] racks, int horizon, double migrationCostPerUnit)
    {
        _racks = racks;
        _horizon = horizon;
        _migration = migrationCostPerUnit;
        int slots = racks.Length * horizon;
        _cost = new double[slots];
        _free = new int[slots];
        _order = new int[slots];
        _orderKeys = new double[slots];
        // Within one deadline the most efficient owners place first: their own slots are the cheapest, so their work
        // stays home instead of being displaced (at the migration cost) by others' work placed before it.
        _byEfficiency = Enumerable.Range(0, racks.Length).OrderBy(r => racks[r].KwhPerUnit).ThenBy(r => r).ToArray();
        _own = new int[racks.Length][];
        for (int r = 0; r < racks.Length; r++)
        {
            _own[r] = new int[horizon];
        }
    }

    /// <summary>
    /// Plans hour <paramref name="t"/> and returns the units to run now: <c>runNow[owner][rack]</c> per deadline is
    /// applied through <paramref name="run"/>(owner, rack, deadlineHour, units).
    /// </summary>
    public void Plan(int t, Func<int, double> priceAt, Action<int, int, int, int> run)
    {
        int n = _racks.Length;
        for (int r = 0; r < n; r++)
        {
            for (int h = 0; h < _horizon; h++)
            {
                int slot = (r * _horizon) + h;
                _cost[slot] = _racks[r].KwhPerUnit * priceAt(t + h);
                _free[slot] = Math.Max(0, _racks[r].Capacity - _racks[r].Interactive[t + h]);
                _order[slot] = slot;
                _orderKeys[slot] = _cost[slot] + (h * 1e-12);
            }
        }
        Array.Sort(_orderKeys, _order);
        for (int r = 0; r < n; r++)
        {
            int[] own = _own[r];
            int k = 0;
            foreach (int slot in _order)
            {
                if (slot / _horizon == r)
                {
                    own[k++] = slot;
                }
            }
        }

        int lastDeadline = t + _horizon - 1;
        for (int d = t; d <= lastDeadline; d++)
        {
            foreach (int o in _byEfficiency)
            {
                if (!_racks[o].OwnDue.TryGetValue(d, out int units) || units == 0)
                {
                    continue;
                }
                Place(o, d - t, d, units, run);
            }
        }
    }

    private void Place(int owner, int lastHour, int deadlineHour, int units, Action<int, int, int, int> run)
    {
        int left = units;
        int gi = 0, oi = 0;
        int[] own = _own[owner];
        while (left > 0)
        {
            while (gi < _order.Length && (_free[_order[gi]] == 0 || _order[gi] % _horizon > lastHour || _order[gi] / _horizon == owner))
            {
                gi++;
            }
            while (oi < own.Length && (_free[own[oi]] == 0 || own[oi] % _horizon > lastHour))
            {
                oi++;
            }
            bool haveOther = gi < _order.Length;
            bool haveOwn = oi < own.Length;
            if (!haveOther && !haveOwn)
            {
                return; // the rest misses its deadline
            }
            int slot = haveOwn && (!haveOther || _cost[own[oi]] <= _cost[_order[gi]] + _migration) ? own[oi] : _order[gi];
            int take = Math.Min(left, _free[slot]);
            _free[slot] -= take;
            left -= take;
            if (slot % _horizon == 0)
            {
                run(owner, slot / _horizon, deadlineHour, take);
            }
        }
    }
}
