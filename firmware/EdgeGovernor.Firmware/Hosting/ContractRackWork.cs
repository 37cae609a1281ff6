using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The rack's side of load contracts: its deferrable work as the policy's <see cref="UnitPlanner"/> (one per job class,
/// 24 hours ahead: each server of the class runs one unit per hour, a unit costs the class's energy per unit × the price
/// of its hour, a unit that cannot run before its deadline costs its value and miss penalty), and the two decisions
/// read off it. <see cref="TryPlanOffer"/> (sender): the costliest own unit is offered when its cost exceeds the
/// contract's price plus the migration cost by the hysteresis, at <see cref="ContractPricing.TryPrice"/>'s price against
/// the range's floor, with as many more units of the same deadline as still cost that much.
/// <see cref="Judge"/> (receiver): accepts while every unit's marginal cost (the cheapest free hour before the run-by
/// deadline, after its own work and the units it already reserved) stays below the price by the hysteresis; a unit with
/// no free hour before its deadline is never accepted, so a transfer never breaks the receiver's deadlines. Units
/// received from a partner are never passed on. Runs on the loop's thread; allocation-free after construction.
/// </summary>
internal sealed class ContractRackWork
{
    /// <summary>Hours planned ahead.</summary>
    public const int HorizonHours = 24;

    private readonly RackController _rack;
    private readonly UnitPlanner?[] _planners;
    private readonly int[] _free = new int[HorizonHours];
    private readonly int[] _groupDeadline = new int[512];
    private readonly int[] _groupUnits = new int[512];

    /// <summary>Plans for <paramref name="rack"/>'s deferrable classes (<paramref name="jobs"/> of the configuration).</summary>
    public ContractRackWork(RackController rack, JobConfig[] jobs)
    {
        ArgumentNullException.ThrowIfNull(rack);
        ArgumentNullException.ThrowIfNull(jobs);
        _rack = rack;
        _planners = new UnitPlanner?[jobs.Length];
        for (int j = 0; j < jobs.Length; j++)
        {
            double kwh = rack.ContractKwhPerUnit(j);
            _planners[j] = jobs[j].Deferrable && double.IsFinite(kwh) && kwh > 0 ? new UnitPlanner(HorizonHours, [kwh]) : null;
        }
    }

    /// <summary>The rack.</summary>
    public RackController Rack => _rack;

    /// <summary>
    /// The sender's decision for job class <paramref name="job"/> at absolute hour <paramref name="hour"/> with prices
    /// <paramref name="eurPerKwh"/> (per hour from now; NaN: unknown, the last known holds): how many units to offer
    /// (at most <paramref name="maxUnits"/>), at what price per unit and due by which absolute hour; false when no unit
    /// is worth moving. <paramref name="received"/> units of the class, due by <paramref name="receivedDeadlineHour"/>, are
    /// a partner's and never offered.
    /// </summary>
    public bool TryPlanOffer(in LoadContract contract, double hysteresis, int job, long hour, ReadOnlySpan<double> eurPerKwh, int maxUnits,
        int received, long receivedDeadlineHour, out int units, out double price, out long runByHour)
    {
        units = 0;
        price = 0;
        runByHour = 0;
        if (maxUnits < 1 || !Plan(job, hour, eurPerKwh, ownTransferable: true, received, receivedDeadlineHour, out UnitPlanner? planner))
        {
            return false;
        }
        double missCost = _rack.ContractMissCostPerUnit(job);
        if (!planner!.TryPeekMostCostly(missCost, out double cost, out int deadline)
            || !ContractPricing.TryPrice(contract, cost, contract.PriceMin - hysteresis, hysteresis, out price))
        {
            return false;
        }
        int first = deadline;
        while (units < maxUnits && planner.TryPeekMostCostly(missCost, out cost, out deadline) && deadline == first
            && cost - contract.MigrationCostPerUnit - hysteresis >= price)
        {
            planner.TryRemoveMostCostly(missCost, out _, out _);
            units++;
        }
        runByHour = hour + first + 1;
        return units > 0;
    }

    /// <summary>
    /// The receiver's decision on <paramref name="units"/> units of <paramref name="job"/> at <paramref name="price"/> per
    /// unit due by absolute hour <paramref name="runByHour"/>: true to accept. <paramref name="reserved"/> units already
    /// accepted (prepared or committed, not yet queued) and due by <paramref name="reservedDeadlineHour"/> count as placed.
    /// </summary>
    public bool Judge(double hysteresis, int job, int units, double price, long runByHour, long hour, ReadOnlySpan<double> eurPerKwh,
        int reserved, long reservedDeadlineHour)
    {
        int deadline = (int)Math.Min(HorizonHours - 1, runByHour - hour - 1);
        if (units < 1 || deadline < 0 || !Plan(job, hour, eurPerKwh, ownTransferable: false, reserved, reservedDeadlineHour, out UnitPlanner? planner))
        {
            return false;
        }
        for (int u = 0; u < units; u++)
        {
            if (!planner!.TryAddOne(deadline, out double cost) || cost + hysteresis > price)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Units of <paramref name="job"/> queued on the rack now.</summary>
    public double Queued(int job)
    {
        double n = 0;
        for (int k = 0; _rack.ContractQueue(job, k, out double units, out _); k++)
        {
            n += units;
        }
        return n;
    }

    private bool Plan(int job, long hour, ReadOnlySpan<double> eurPerKwh, bool ownTransferable, int extra, long extraDeadlineHour, out UnitPlanner? planner)
    {
        planner = job >= 0 && job < _planners.Length ? _planners[job] : null;
        if (planner is null || eurPerKwh.Length < HorizonHours || !double.IsFinite(eurPerKwh[0]))
        {
            return false;
        }
        _free.AsSpan().Fill(_rack.ContractServers(job));
        planner.Reset(eurPerKwh[..HorizonHours], _free);

        // Own queue, earliest deadline first (the planner's rule); the partner's units first among equals, never transferable.
        int groups = 0;
        double queued = 0;
        for (int k = 0; groups < _groupUnits.Length && _rack.ContractQueue(job, k, out double units, out long due); k++)
        {
            if (units > 1e-6 && due > hour)
            {
                // Insertion by deadline (a rack has few servers per class).
                int d = (int)(due - hour - 1), at = groups++;
                while (at > 0 && _groupDeadline[at - 1] > d)
                {
                    _groupDeadline[at] = _groupDeadline[at - 1];
                    _groupUnits[at] = _groupUnits[at - 1];
                    at--;
                }
                _groupDeadline[at] = d;
                _groupUnits[at] = (int)Math.Ceiling(units - 1e-6);
                queued += units;
            }
        }
        int partner = Math.Min(extra, (int)Math.Ceiling(queued - 1e-6));
        if (!ownTransferable)
        {
            partner = 0; // receiver: everything queued is placed as it is, and the reserved units on top
        }
        if (extra > 0 && (!ownTransferable || partner > 0))
        {
            planner.Place((int)Math.Max(0, extraDeadlineHour - hour - 1), ownTransferable ? partner : extra, transferable: false);
        }
        for (int g = 0; g < groups; g++)
        {
            int units = _groupUnits[g];
            if (ownTransferable && partner > 0)
            {
                int skip = Math.Min(partner, units); // already placed as the partner's
                partner -= skip;
                units -= skip;
            }
            planner.Place(_groupDeadline[g], units, transferable: ownTransferable);
        }
        return true;
    }
}
