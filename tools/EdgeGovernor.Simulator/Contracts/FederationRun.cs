using EdgeGovernor.Policy.Contracts;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// One run of a federation of racks under one <see cref="ContractMode"/>, hour by hour: every rack serves its
/// interactive load, plans its batch queue over its horizon (<see cref="UnitPlanner"/>), trades units with its
/// contract partners (Medusa's rule through <see cref="ContractPricing"/>), runs what its plan puts in the current
/// hour and books value, energy, payments and misses. The central mode replaces planning and trading by
/// <see cref="CentralPlanner"/>.
/// <para>
/// Trades go through each rack's <see cref="RackController"/> (the protocol's <see cref="ContractExchange"/> with a
/// journal, signed with the rack's own Ed25519 key) over a <see cref="ContractNetwork"/> with loss, duplication and
/// reordering, in one-minute steps after the hour's trading pass (<see cref="ContractFabric"/>); controllers crash
/// (after any prefix of a call's effects) and restart from their journals. The racks re-plan from what the exchange left in their queues before they
/// run the hour. The checkers count what actually ran against what arrived, per transfer on both sides.
/// </para>
/// </summary>
internal sealed class FederationRun
{
    private readonly FederationOptions _options;
    private readonly ContractMode _mode;
    private readonly FederationRack[] _racks;
    private readonly double[] _pricePerKwh;
    private readonly List<(int A, int B, LoadContract AtA, LoadContract AtB)> _contracts = [];
    private readonly double[] _horizonPrices;
    private readonly int[] _horizonFree;
    private readonly ContractFabric? _fabric;
    private readonly RackController[]? _controllers;
    private long _runCount;
    private long _arrivals;

    public FederationRun(FederationOptions options, ContractMode mode, FederationRack[] racks, double[] pricePerKwh)
    {
        _options = options;
        _mode = mode;
        _racks = racks;
        _pricePerKwh = pricePerKwh;
        _horizonPrices = new double[options.HorizonHours];
        _horizonFree = new int[options.HorizonHours];
        if (mode is ContractMode.FixedPrice or ContractMode.PriceRange)
        {
            BuildContracts();
            _fabric = new ContractFabric(options, racks, _contracts);
            _controllers = _fabric.Controllers;
        }
    }

    /// <summary>Contracts that both partners hold identically (the only ones used).</summary>
    public int ContractCount => _contracts.Count;

    public ModeResult Execute()
    {
        var central = _mode == ContractMode.Central ? new CentralPlanner(_racks, _options.HorizonHours, _options.MigrationCostPerUnit) : null;
        var random = new Random(_options.Seed);
        var ranNow = new int[_racks.Length];
        // After the last arrival the racks run on for one batch window, so that every unit is run or missed and every
        // transfer settled: no end-of-run effect in anyone's books.
        for (int t = 0; t < _options.Hours + _options.BatchWindowHours; t++)
        {
            foreach (FederationRack rack in _racks)
            {
                Arrive(rack, t);
                ServeInteractive(rack, t);
            }
            Array.Clear(ranNow);

            if (central is not null)
            {
                central.Plan(t, PriceAt, (owner, at, deadline, units) => RunCentral(owner, at, deadline, units, t, ranNow));
            }
            else
            {
                foreach (FederationRack rack in _racks)
                {
                    PlanRack(rack, t);
                }
                if (_controllers is not null)
                {
                    _fabric!.ScheduleCrashes();
                    Trade(t, random);
                    _fabric.RunHour(t);
                    foreach (FederationRack rack in _racks)
                    {
                        PlanRack(rack, t); // the queues as the exchange left them
                    }
                }
                foreach (FederationRack rack in _racks)
                {
                    ranNow[rack.Id] = RunPlanned(rack, t);
                }
            }

            foreach (FederationRack rack in _racks)
            {
                if (Math.Min(rack.Interactive[t], rack.Capacity) + ranNow[rack.Id] > rack.Capacity)
                {
                    rack.Books.EnvelopeViolations++;
                }
                Expire(rack, t);
            }
        }

        _fabric?.Settle(_options.Hours + _options.BatchWindowHours);
        return Result();
    }

    private double PriceAt(int hour) => _pricePerKwh[Math.Min(hour, _pricePerKwh.Length - 1)];

    private void Arrive(FederationRack rack, int t)
    {
        int units = t < _options.Hours ? rack.Batch[t] : 0;
        if (units > 0)
        {
            int due = t + _options.BatchWindowHours;
            rack.OwnDue[due] = rack.OwnDue.GetValueOrDefault(due) + units;
            rack.Books.BatchArrived += units;
            _arrivals += units;
        }
    }

    private void ServeInteractive(FederationRack rack, int t)
    {
        int served = Math.Min(rack.Interactive[t], rack.Capacity);
        int dropped = rack.Interactive[t] - served;
        rack.Books.Value += served * _options.InteractiveValuePerUnit;
        rack.Books.EnergyCost += served * rack.KwhPerUnit * PriceAt(t);
        rack.Books.Kwh += served * rack.KwhPerUnit;
        if (dropped > 0)
        {
            rack.Books.InteractiveDropped += dropped;
        }
    }

    private void PlanRack(FederationRack rack, int t)
    {
        for (int h = 0; h < _options.HorizonHours; h++)
        {
            _horizonPrices[h] = PriceAt(t + h);
            _horizonFree[h] = Math.Max(0, rack.Capacity - rack.Interactive[t + h]);
        }
        rack.Planner.Reset(_horizonPrices, _horizonFree);
        for (int d = t; d < t + _options.HorizonHours; d++)
        {
            int foreign = 0;
            foreach (ForeignBatch f in rack.Foreign)
            {
                if (f.DeadlineHour == d)
                {
                    foreign += f.Units;
                }
            }
            if (_controllers is not null)
            {
                foreach ((int deadline, int units) in _controllers[rack.Id].Reserved.Values)
                {
                    if (deadline == d)
                    {
                        foreign += units; // capacity held for a prepared transfer
                    }
                }
            }
            if (foreign > 0)
            {
                rack.Planner.Place(d - t, foreign, transferable: false);
            }
            if (rack.OwnDue.TryGetValue(d, out int own) && own > 0)
            {
                rack.Planner.Place(d - t, own, transferable: true);
            }
        }
    }

    private void Trade(int t, Random random)
    {
        // Both directions of every contract, in a fresh order each hour so that no partner is always served first.
        int count = _contracts.Count * 2;
        Span<int> order = count <= 512 ? stackalloc int[count] : new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        random.Shuffle(order);
        Span<int> movedThisHour = count <= 512 ? stackalloc int[_contracts.Count] : new int[_contracts.Count];
        foreach (int k in order)
        {
            (int a, int b, LoadContract atA, LoadContract atB) = _contracts[k / 2];
            bool aSends = k % 2 == 0;
            FederationRack sender = _racks[aSends ? a : b];
            FederationRack receiver = _racks[aSends ? b : a];
            LoadContract held = aSends ? atA : atB;
            RackController from = _controllers![sender.Id];
            RackController to = _controllers[receiver.Id];
            if (!held.IsValidAt(t) || (held.ClassesOut & 1) == 0 || !from.Up || !to.Up)
            {
                continue;
            }

            int moved = 0;
            double priceSum = 0;
            int deadlineOfBatch = -1;
            while (movedThisHour[k / 2] < held.MaxUnitsPerHour
                && sender.Planner.TryPeekMostCostly(_options.BatchValuePerUnit, out double keepCost, out int deadline))
            {
                if (deadlineOfBatch >= 0 && deadline != deadlineOfBatch)
                {
                    break; // one transfer carries one deadline; the next deadline is the next transfer
                }
                // The receiver keeps room for an hour of its own peak arrivals before taking partners' work.
                int reserve = (int)Math.Ceiling(receiver.Capacity * _options.BatchShare);
                if (receiver.Planner.SpareUnits(deadline) - 1 < reserve)
                {
                    break;
                }
                double addCost = receiver.Planner.CostOfOneMore(deadline);
                if (!ContractPricing.TryPrice(held, keepCost, addCost, _options.Hysteresis, out double price))
                {
                    break;
                }
                _ = sender.Planner.TryRemoveMostCostly(_options.BatchValuePerUnit, out _, out _);
                _ = receiver.Planner.TryAddOne(deadline, out _);
                deadlineOfBatch = deadline;
                moved++;
                priceSum += price;
                movedThisHour[k / 2]++;
            }

            if (moved > 0)
            {
                _fabric!.Offer(from, to, (uint)(k / 2) + 1, held, t, t + deadlineOfBatch, moved, priceSum / moved);
            }
        }
    }

    private int RunPlanned(FederationRack rack, int t)
    {
        double price = PriceAt(t);
        int ran = 0;
        for (int d = 0; d < _options.HorizonHours; d++)
        {
            int foreign = rack.Planner.PlannedNowDueBy(d, transferable: false);
            for (int i = 0; i < rack.Foreign.Count && foreign > 0; i++)
            {
                ForeignBatch f = rack.Foreign[i];
                if (f.DeadlineHour != t + d || f.Units == 0)
                {
                    continue;
                }
                int run = Math.Min(foreign, f.Units);
                f.Units -= run;
                f.Ran += run;
                foreign -= run;
                ran += run;
                RunUnits(rack, run, price);
                rack.Books.ForeignUnitsRun += run;
                _racks[f.From].Books.Value += run * _options.BatchValuePerUnit;
                if (f.Units == 0)
                {
                    _controllers![rack.Id].ToReport[f.Transfer] = f.Ran; // the done report goes out with the next step
                }
            }

            int own = rack.Planner.PlannedNowDueBy(d, transferable: true);
            if (own > 0)
            {
                int due = t + d;
                int held = rack.OwnDue.GetValueOrDefault(due);
                if (own > held)
                {
                    throw new InvalidOperationException($"rack {rack.Id} planned {own} own units due {due} but holds {held}");
                }
                rack.OwnDue[due] = held - own;
                RunUnits(rack, own, price);
                rack.Books.OwnUnitsRun += own;
                rack.Books.Value += own * _options.BatchValuePerUnit;
                ran += own;
            }
        }
        rack.Foreign.RemoveAll(f => f.Units == 0);
        return ran;
    }

    private void RunCentral(int owner, int at, int deadlineHour, int units, int t, int[] ranNow)
    {
        FederationRack o = _racks[owner];
        int held = o.OwnDue.GetValueOrDefault(deadlineHour);
        o.OwnDue[deadlineHour] = held - units;
        FederationRack rack = _racks[at];
        RunUnits(rack, units, PriceAt(t));
        o.Books.Value += units * _options.BatchValuePerUnit;
        o.Books.OwnUnitsRun += units;
        if (at != owner)
        {
            o.Books.UnitsSent += units;
            o.Books.Migration += units * _options.MigrationCostPerUnit;
            rack.Books.UnitsReceived += units;
            rack.Books.ForeignUnitsRun += units;
        }
        ranNow[at] += units;
    }

    private void RunUnits(FederationRack rack, int units, double price)
    {
        rack.Books.EnergyCost += units * rack.KwhPerUnit * price;
        rack.Books.Kwh += units * rack.KwhPerUnit;
        _runCount += units;
    }

    private void Expire(FederationRack rack, int t)
    {
        bool overloaded = rack.Interactive[t] > rack.Capacity;
        if (rack.OwnDue.Remove(t, out int missed) && missed > 0)
        {
            rack.Books.BatchMissed += missed;
            overloaded = true;
        }
        foreach (ForeignBatch f in rack.Foreign)
        {
            if (f.DeadlineHour == t && f.Units > 0)
            {
                rack.Books.ForeignMissed += f.Units;
                _controllers![rack.Id].ToReport[f.Transfer] = f.Ran;
                f.Units = 0;
                overloaded = true;
            }
        }
        rack.Foreign.RemoveAll(f => f.Units == 0);
        if (overloaded)
        {
            rack.Books.OverloadedHours++;
        }
    }

    private void BuildContracts()
    {
        int n = _racks.Length;
        var pairs = new SortedSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            pairs.Add((Math.Min(i, (i + 1) % n), Math.Max(i, (i + 1) % n)));
            if (n >= 4)
            {
                int j = (i + (n / 2)) % n;
                pairs.Add((Math.Min(i, j), Math.Max(i, j)));
            }
        }
        double low = _mode == ContractMode.FixedPrice ? _options.ContractPrice : _options.ContractPrice - _options.RangeHalfWidth;
        double high = _mode == ContractMode.FixedPrice ? _options.ContractPrice : _options.ContractPrice + _options.RangeHalfWidth;
        foreach ((int a, int b) in pairs)
        {
            if (a == b)
            {
                continue;
            }
            var atA = new LoadContract(b, low, high, _options.MaxUnitsPerHour, _options.MigrationCostPerUnit, 1, 1, 0, _options.Hours);
            LoadContract atB = atA.Mirrored(a);
            if (atA.Validate() is string error)
            {
                throw new ArgumentException($"contract {a}-{b}: {error}");
            }
            if (!atB.Matches(atA, b))
            {
                continue; // held by one side only, or the copies disagree: never used
            }
            _contracts.Add((a, b, atA, atB));
        }
    }

    private ModeResult Result()
    {
        long waiting = 0;
        foreach (FederationRack rack in _racks)
        {
            foreach ((_, int units) in rack.OwnDue)
            {
                waiting += units;
            }
            foreach (ForeignBatch f in rack.Foreign)
            {
                waiting += f.Units;
            }
            if (_controllers is not null)
            {
                foreach ((_, int units) in _controllers[rack.Id].InFlight.Values)
                {
                    waiting += units;
                }
            }
        }

        long missed = _racks.Sum(r => r.Books.BatchMissed + r.Books.ForeignMissed);
        long accounted = _runCount + missed + waiting;
        var check = new TransferCheck();
        if (_controllers is not null)
        {
            check.Run(_controllers, _contracts.Select(c => (c.A, c.B)));
        }

        return new ModeResult
        {
            Mode = _mode.ToString(),
            NetValue = _racks.Sum(r => r.Books.Net),
            RackNetValues = _racks.Select(r => r.Books.Net).ToArray(),
            EnergyCost = _racks.Sum(r => r.Books.EnergyCost),
            Kwh = _racks.Sum(r => r.Books.Kwh),
            UnitsMoved = _racks.Sum(r => r.Books.UnitsSent),
            BatchMissed = missed,
            InteractiveDropped = _racks.Sum(r => r.Books.InteractiveDropped),
            OverloadedRackHours = _racks.Sum(r => r.Books.OverloadedHours),
            UnitsLost = Math.Max(0, _arrivals - accounted) + check.UnitsLost,
            UnitsDuplicated = Math.Max(0, accounted - _arrivals) + check.UnitsDuplicated,
            LedgerMismatches = check.LedgerMismatches,
            EnvelopeViolations = _racks.Sum(r => r.Books.EnvelopeViolations),
            Messages = _fabric?.MessagesSent ?? 0,
            MessagesLost = _fabric?.MessagesLost ?? 0,
            Payments = _racks.Sum(r => r.Books.Paid),
            Transfers = check.Transfers,
            TransfersCommitted = check.Committed,
            TransfersAborted = check.Aborted,
            Unresolved = check.Unresolved,
            Crashes = _controllers?.Sum(c => c.Crashes) ?? 0,
            Retransmissions = check.Retransmissions,
            UnitsMissedLate = _controllers?.Sum(c => c.ReturnedTooLate + c.LearntTooLate) ?? 0,
        };
    }
}
