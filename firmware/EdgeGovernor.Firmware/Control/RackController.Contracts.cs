namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The rack's deferrable work as load contracts see it (<see cref="Hosting.RackContractWork"/>): per job class (index
/// into <c>jobs</c>), in contract units (one server-hour at full load: <c>SlotWork</c> × intervals per hour of work
/// units), the servers that run it, the work queued and by when, and the two changes a transfer makes: units leave
/// the queue (offered to a partner; back on an abort) or join it (received from a partner). Runs on the loop's thread.
/// </summary>
internal sealed partial class RackController
{
    /// <summary>Deferrable servers running job class <paramref name="job"/>.</summary>
    public int ContractServers(int job)
    {
        int n = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            n += IsContractSlot(i, job) ? 1 : 0;
        }
        return n;
    }

    /// <summary>
    /// Marginal energy of one unit of <paramref name="job"/> on this rack (kWh: the class's servers' mean draw at full load
    /// above active idle × 1 h; a server that is up draws its idle power with or without the unit).
    /// </summary>
    public double ContractKwhPerUnit(int job)
    {
        double watts = 0;
        int n = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (IsContractSlot(i, job))
            {
                watts += _spec.Economics(i).SlotWatts - _spec.Economics(i).IdleWatts;
                n++;
            }
        }
        return n == 0 ? double.NaN : watts / n / 1000;
    }

    /// <summary>What one unit of <paramref name="job"/> not done by its deadline costs (EUR: its value and its miss penalty).</summary>
    public double ContractMissCostPerUnit(int job)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (IsContractSlot(i, job))
            {
                Policy.Model.ServerEconomics e = _spec.Economics(i);
                return UnitWork(i) * (e.Class.ValuePerUnitEur + e.Class.MissPenaltyEurPerUnit);
            }
        }
        return 0;
    }

    /// <summary>
    /// Units of <paramref name="job"/> queued on server <paramref name="index"/>-th of the class (0-based among them) and
    /// the absolute hour they are due (0: no job); false past the class's last server.
    /// </summary>
    public bool ContractQueue(int job, int index, out double units, out long deadlineHour)
    {
        units = 0;
        deadlineHour = 0;
        for (int i = 0, k = 0; i < _slots.Length; i++)
        {
            if (!IsContractSlot(i, job))
            {
                continue;
            }
            if (k++ == index)
            {
                units = _slots[i].JobUnits / UnitWork(i);
                deadlineHour = _slots[i].JobDeadline == 0 ? 0 : _slots[i].JobDeadline / _spec.IntervalsPerHour;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Takes up to <paramref name="units"/> units of <paramref name="job"/> out of the queue, from the servers whose job is
    /// due latest; returns the units taken.
    /// </summary>
    public double ContractTake(int job, double units)
    {
        double left = units;
        while (left > 1e-9)
        {
            int best = -1;
            for (int i = 0; i < _slots.Length; i++)
            {
                if (IsContractSlot(i, job) && _slots[i].JobUnits > 1e-9 && (best < 0 || _slots[i].JobDeadline > _slots[best].JobDeadline))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            double take = Math.Min(left, _slots[best].JobUnits / UnitWork(best));
            _slots[best].JobUnits = Math.Max(0, _slots[best].JobUnits - (take * UnitWork(best)));
            left -= take;
        }
        return units - left;
    }

    /// <summary>
    /// Adds <paramref name="units"/> units of <paramref name="job"/> due by absolute hour <paramref name="deadlineHour"/> to
    /// the servers of the class, each unit to the least loaded server whose job is due by then (or that has none: its job
    /// is then due by that hour), so that no server's own work gets an earlier deadline; only when every server's job is
    /// due later does the least loaded one take the units and the earlier deadline. Returns the units added (0 when the
    /// class has no server here).
    /// </summary>
    public double ContractAdd(int job, double units, long deadlineHour)
    {
        double left = units;
        long deadline = deadlineHour * _spec.IntervalsPerHour;
        while (left > 1e-9)
        {
            int best = LeastLoaded(job, deadline, keepDeadlines: true);
            best = best >= 0 ? best : LeastLoaded(job, deadline, keepDeadlines: false);
            if (best < 0)
            {
                break;
            }
            double add = Math.Min(left, 1);
            ref ServerSlot slot = ref _slots[best];
            slot.JobUnits += add * UnitWork(best);
            slot.JobDeadline = slot.JobDeadline == 0 ? deadline : Math.Min(slot.JobDeadline, deadline);
            left -= add;
        }
        return units - left;
    }

    private int LeastLoaded(int job, long deadline, bool keepDeadlines)
    {
        int best = -1;
        for (int i = 0; i < _slots.Length; i++)
        {
            bool fits = !keepDeadlines || _slots[i].JobDeadline == 0 || _slots[i].JobDeadline <= deadline;
            if (IsContractSlot(i, job) && fits && (best < 0 || _slots[i].JobUnits / UnitWork(i) < _slots[best].JobUnits / UnitWork(best)))
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>What one unit of <paramref name="job"/> is worth to its owner when it runs (EUR).</summary>
    public double ContractValuePerUnit(int job)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (IsContractSlot(i, job))
            {
                return UnitWork(i) * _spec.Economics(i).Class.ValuePerUnitEur;
            }
        }
        return 0;
    }

    private bool IsContractSlot(int i, int job)
    {
        Policy.Model.ServerEconomics e = _spec.Economics(i);
        return e.Class.Deferrable && e.Server.JobClass == job;
    }

    // Work units of one contract unit (a server-hour at full load) on server i.
    private double UnitWork(int i) => _spec.Economics(i).SlotWork * _spec.IntervalsPerHour;
}
