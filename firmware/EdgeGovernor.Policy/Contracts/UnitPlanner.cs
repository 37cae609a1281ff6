namespace EdgeGovernor.Policy.Contracts;

/// <summary>
/// A rack's plan of deferrable work over the next hours, and its marginal costs read off that plan (Policy, pure,
/// allocation-free after construction). Slots are (hour offset, server class): each has a free capacity in units (a
/// unit is one server-hour of batch work at full load, after the rack's interactive load and within its power budget)
/// and a cost, the class's energy per unit × the price of that hour. Work is placed earliest deadline first, each
/// unit into the cheapest free slot before its deadline, which for windows that all open now (nested windows) is the
/// cheapest schedule; what does not fit is unplaced and will miss its deadline.
/// <para>
/// From the plan: <see cref="CostOfOneMore"/> (the receiver's marginal cost of one more unit due by a deadline: the
/// cheapest free slot, +∞ when none: the budget or thermal limit binds), <see cref="TryRemoveMostCostly"/> (the
/// sender's marginal saving of one unit less: the value of an unplaced unit, its deadline pressure, else the most
/// expensive slot its plan uses) and <see cref="SpareUnits"/> (free capacity before a deadline).
/// </para>
/// </summary>
public sealed class UnitPlanner
{
    private readonly int _horizon;
    private readonly int _classes;
    private readonly double[] _kwhPerUnit;
    private readonly double[] _slotCost;
    private readonly int[] _free;
    private readonly int[] _bySlotCost;
    private readonly Placement[] _placements;
    private int _placementCount;
    private readonly Placement[] _unplaced;
    private int _unplacedCount;

    /// <param name="horizonHours">Hours planned ahead, the current one included (1..168).</param>
    /// <param name="kwhPerUnit">Energy per unit of each server class (kWh, > 0).</param>
    /// <param name="maxEntries">Most distinct (deadline, kind) groups placed at once.</param>
    public UnitPlanner(int horizonHours, ReadOnlySpan<double> kwhPerUnit, int maxEntries = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonHours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(horizonHours, 168);
        ArgumentOutOfRangeException.ThrowIfZero(kwhPerUnit.Length);
        foreach (double e in kwhPerUnit)
        {
            if (!(e > 0) || !double.IsFinite(e))
            {
                throw new ArgumentOutOfRangeException(nameof(kwhPerUnit), "energy per unit must be finite and > 0");
            }
        }

        _horizon = horizonHours;
        _classes = kwhPerUnit.Length;
        _kwhPerUnit = kwhPerUnit.ToArray();
        _slotCost = new double[_horizon * _classes];
        _free = new int[_horizon * _classes];
        _bySlotCost = new int[_horizon * _classes];
        _placements = new Placement[maxEntries * 4];
        _unplaced = new Placement[maxEntries];
    }

    /// <summary>Hours planned ahead.</summary>
    public int Horizon => _horizon;

    /// <summary>Server classes.</summary>
    public int Classes => _classes;

    /// <summary>Units that did not fit before their deadline (they will be lost unless moved).</summary>
    public int UnplacedUnits
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _unplacedCount; i++)
            {
                n += _unplaced[i].Units;
            }
            return n;
        }
    }

    /// <summary>
    /// Starts a new plan: <paramref name="pricePerKwh"/> per hour offset (money per kWh; at least one finite value;
    /// NaN, an unknown later hour, takes the last known price) and <paramref name="freeUnits"/> per slot
    /// (<c>hour * Classes + class</c>, >= 0).
    /// </summary>
    public void Reset(ReadOnlySpan<double> pricePerKwh, ReadOnlySpan<int> freeUnits)
    {
        if (pricePerKwh.Length != _horizon || freeUnits.Length != _free.Length)
        {
            throw new ArgumentException("prices must cover the horizon and capacities every slot");
        }

        double last = double.NaN;
        for (int h = 0; h < _horizon; h++)
        {
            double p = double.IsFinite(pricePerKwh[h]) ? pricePerKwh[h] : last;
            if (double.IsNaN(p))
            {
                throw new ArgumentException("the current hour's price is unknown");
            }
            last = p;
            for (int k = 0; k < _classes; k++)
            {
                int slot = (h * _classes) + k;
                _slotCost[slot] = _kwhPerUnit[k] * p;
                _free[slot] = Math.Max(0, freeUnits[slot]);
                _bySlotCost[slot] = slot;
            }
        }

        // Insertion sort by (cost, hour): small arrays, no allocation, stable so that ties go to the earlier hour.
        for (int i = 1; i < _bySlotCost.Length; i++)
        {
            int s = _bySlotCost[i];
            int j = i - 1;
            while (j >= 0 && _slotCost[_bySlotCost[j]] > _slotCost[s])
            {
                _bySlotCost[j + 1] = _bySlotCost[j];
                j--;
            }
            _bySlotCost[j + 1] = s;
        }

        _placementCount = 0;
        _unplacedCount = 0;
    }

    /// <summary>
    /// Places <paramref name="units"/> due by the end of hour offset <paramref name="deadline"/> (0 = this hour; beyond
    /// the horizon means the horizon) into the cheapest free slots; call in order of deadline. A
    /// <paramref name="transferable"/> unit may later be offered to a partner (own work of a class the contract
    /// covers; work received from a partner is never passed on). Returns the units placed; the rest are unplaced.
    /// </summary>
    public int Place(int deadline, int units, bool transferable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deadline);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        int last = Math.Min(deadline, _horizon - 1);
        int left = units;
        for (int i = 0; i < _bySlotCost.Length && left > 0; i++)
        {
            int slot = _bySlotCost[i];
            if (slot / _classes > last || _free[slot] == 0)
            {
                continue;
            }
            int take = Math.Min(left, _free[slot]);
            _free[slot] -= take;
            left -= take;
            AddPlacement(slot, deadline, take, transferable);
        }

        if (left > 0)
        {
            if (_unplacedCount == _unplaced.Length)
            {
                throw new InvalidOperationException("more unplaced groups than the planner was sized for");
            }
            _unplaced[_unplacedCount++] = new Placement(-1, deadline, left, transferable);
        }
        return units - left;
    }

    /// <summary>The cost of one more unit due by <paramref name="deadline"/>: the cheapest free slot, or +∞ when none is free.</summary>
    public double CostOfOneMore(int deadline)
    {
        int last = Math.Min(deadline, _horizon - 1);
        foreach (int slot in _bySlotCost)
        {
            if (slot / _classes <= last && _free[slot] > 0)
            {
                return _slotCost[slot];
            }
        }
        return double.PositiveInfinity;
    }

    /// <summary>Free units before the end of hour offset <paramref name="deadline"/>.</summary>
    public int SpareUnits(int deadline)
    {
        int last = Math.Min(deadline, _horizon - 1);
        int n = 0;
        for (int slot = 0; slot < (last + 1) * _classes; slot++)
        {
            n += _free[slot];
        }
        return n;
    }

    /// <summary>
    /// Takes one more unit due by <paramref name="deadline"/> (work received from a partner: never transferable) into
    /// the cheapest free slot; false when none is free.
    /// </summary>
    public bool TryAddOne(int deadline, out double cost)
    {
        cost = CostOfOneMore(deadline);
        if (double.IsPositiveInfinity(cost))
        {
            return false;
        }
        _ = Place(deadline, 1, transferable: false);
        return true;
    }

    /// <summary>
    /// Takes out the transferable unit whose keeping costs the most: an unplaced one first (it costs
    /// <paramref name="valuePerUnit"/>, the value lost at its deadline), else the one in the most expensive slot.
    /// Its slot becomes free. False when the plan holds no transferable unit.
    /// </summary>
    public bool TryRemoveMostCostly(double valuePerUnit, out double cost, out int deadline)
    {
        if (!TryPeekMostCostly(valuePerUnit, out cost, out deadline))
        {
            return false;
        }

        int unplaced = FirstUnplacedTransferable();
        if (unplaced >= 0)
        {
            _unplaced[unplaced] = _unplaced[unplaced] with { Units = _unplaced[unplaced].Units - 1 };
            return true;
        }

        int best = MostCostlyPlacement();
        Placement chosen = _placements[best];
        _placements[best] = chosen with { Units = chosen.Units - 1 };
        _free[chosen.Slot]++;
        return true;
    }

    /// <summary>
    /// What <see cref="TryRemoveMostCostly"/> would take out, without changing the plan: its cost and deadline; false
    /// when the plan holds no transferable unit.
    /// </summary>
    public bool TryPeekMostCostly(double valuePerUnit, out double cost, out int deadline)
    {
        int unplaced = FirstUnplacedTransferable();
        if (unplaced >= 0)
        {
            cost = valuePerUnit;
            deadline = _unplaced[unplaced].Deadline;
            return true;
        }

        int best = MostCostlyPlacement();
        cost = best < 0 ? 0 : _slotCost[_placements[best].Slot];
        deadline = best < 0 ? 0 : _placements[best].Deadline;
        return best >= 0;
    }

    /// <summary>Units planned in the current hour, per server class, into <paramref name="perClass"/> (length <see cref="Classes"/>).</summary>
    public void PlannedNow(Span<int> perClass)
    {
        perClass.Clear();
        for (int i = 0; i < _placementCount; i++)
        {
            Placement p = _placements[i];
            if (p.Slot < _classes)
            {
                perClass[p.Slot] += p.Units;
            }
        }
    }

    /// <summary>Units planned in the current hour due by <paramref name="deadline"/>, of either kind.</summary>
    public int PlannedNowDueBy(int deadline, bool transferable)
    {
        int n = 0;
        for (int i = 0; i < _placementCount; i++)
        {
            Placement p = _placements[i];
            if (p.Slot < _classes && p.Deadline == deadline && p.Transferable == transferable)
            {
                n += p.Units;
            }
        }
        return n;
    }

    /// <summary>Unplaced units due by <paramref name="deadline"/> of the given kind.</summary>
    public int UnplacedDueBy(int deadline, bool transferable)
    {
        int n = 0;
        for (int i = 0; i < _unplacedCount; i++)
        {
            if (_unplaced[i].Deadline == deadline && _unplaced[i].Transferable == transferable)
            {
                n += _unplaced[i].Units;
            }
        }
        return n;
    }

    private int FirstUnplacedTransferable()
    {
        for (int i = 0; i < _unplacedCount; i++)
        {
            if (_unplaced[i].Transferable && _unplaced[i].Units > 0)
            {
                return i;
            }
        }
        return -1;
    }

    private int MostCostlyPlacement()
    {
        int best = -1;
        for (int i = 0; i < _placementCount; i++)
        {
            Placement p = _placements[i];
            if (p.Transferable && p.Units > 0 && (best < 0 || _slotCost[p.Slot] > _slotCost[_placements[best].Slot]))
            {
                best = i;
            }
        }
        return best;
    }

    private void AddPlacement(int slot, int deadline, int units, bool transferable)
    {
        for (int i = 0; i < _placementCount; i++)
        {
            Placement p = _placements[i];
            if (p.Slot == slot && p.Deadline == deadline && p.Transferable == transferable)
            {
                _placements[i] = p with { Units = p.Units + units };
                return;
            }
        }
        if (_placementCount == _placements.Length)
        {
            throw new InvalidOperationException("more placements than the planner was sized for");
        }
        _placements[_placementCount++] = new Placement(slot, deadline, units, transferable);
    }

    private readonly record struct Placement(int Slot, int Deadline, int Units, bool Transferable);
}
