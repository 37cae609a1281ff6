using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy.Simulation;

/// <summary>
/// Runs a policy over a scenario on the rack model and accounts the result. This is the model every
/// policy is judged by, the offline optimum's dynamic programme included: the rack refuses illegal
/// power cycling, clamps caps into range and counts both; it does not clip power, it counts every interval
/// whose requested power breaks the envelope. Energy is power times the rack's interval length. The policy is
/// given the carbon intensity in force and ahead (the scenario's series, or its default factor) for its carbon price.
/// </summary>
public static class RackSimulator
{
    /// <summary>Runs <paramref name="policy"/> over <paramref name="scenario"/>.</summary>
    public static Ledger Run(Scenario scenario, IRackPolicy policy, HourTrace? trace = null)
    {
        RackSpec rack = scenario.Rack;
        int n = rack.Servers.Count;
        var ledger = new Ledger(n);
        var state = new CycleState[n];
        var inputs = new ServerState[n];
        var jobs = new DeferrableJob[n];
        var setpoints = new ServerSetpoint[n];
        double dt = rack.IntervalHours;
        int perDay = rack.IntervalsPerDay;
        var carbonKg = new double[scenario.Prices.Length];
        for (int t = 0; t < carbonKg.Length; t++)
        {
            // Beyond the series (day-ahead prices past the scenario's end) the last known intensity persists.
            carbonKg[t] = (scenario.Carbon is null ? Scenario.DefaultCarbonGramsPerKwh : scenario.Carbon[Math.Min(t, scenario.Carbon.Length - 1)]) / 1000;
        }

        for (int i = 0; i < n; i++)
        {
            state[i] = scenario.InitialState(i);
        }

        double net = 0;
        for (int t = 0; t < scenario.Intervals; t++)
        {
            long interval = scenario.StartInterval + t;
            double price = scenario.Prices[t];
            double demand = scenario.Demand[t];
            double carbon = scenario.CarbonAt(t);
            int jobCount = 0;
            for (int i = 0; i < n; i++)
            {
                CycleState s = state[i];
                inputs[i] = new ServerState(s.On, s.IntervalsInState, s.CyclesToday, demand);
                if (s.RemainingSlots > 0)
                {
                    ServerEconomics e = rack.Economics(i);
                    long due = interval + ((e.DeadlineIntervalOfDay - (interval % perDay) + perDay) % perDay);
                    jobs[jobCount++] = new DeferrableJob(i, s.RemainingSlots, due == interval ? due + perDay : due);
                }
            }

            int published = scenario.PublishedFrom(t);
            var input = new PolicyInput
            {
                Interval = interval,
                PriceCentsPerKwh = price,
                PriceStale = false,
                DayAhead = scenario.Prices.AsSpan(t, published),
                Servers = inputs,
                Jobs = jobs.AsSpan(0, jobCount),
                CarbonKgPerKwh = carbonKg[t],
                CarbonAhead = carbonKg.AsSpan(t, published),
            };
            Array.Clear(setpoints);
            policy.Decide(input, setpoints);

            double it = 0;
            for (int i = 0; i < n; i++)
            {
                ServerEconomics e = rack.Economics(i);
                ref readonly ServerSetpoint sp = ref setpoints[i];
                CycleState s = state[i];
                HourAction action = sp.Command switch
                {
                    PowerCommand.PowerOn when !s.On => HourAction.Switch,
                    PowerCommand.PowerOff when s.On => HourAction.Switch,
                    _ => sp.RunDeferrable && s.On ? HourAction.RunSlot : HourAction.Stay,
                };
                bool refused = (sp.Command == PowerCommand.PowerOn && s.On) || (sp.Command == PowerCommand.PowerOff && !s.On)
                    || (sp.RunDeferrable && !e.Class.Deferrable);
                if (!ServerPlanner.IsLegal(s, action, e))
                {
                    refused = true;
                    action = HourAction.Stay;
                }

                double watts = 0, units = 0;
                if (action == HourAction.Switch)
                {
                    watts = s.On ? 0 : e.BootWatts;
                    if (s.On)
                    {
                        ledger.PowerCycles++;
                    }
                }
                else if (s.On && e.Class.Deferrable)
                {
                    watts = action == HourAction.RunSlot ? e.SlotWatts : e.IdleWatts;
                    units = action == HourAction.RunSlot ? e.SlotWork : 0;
                    ledger.DeferrableUnits += units;
                }
                else if (s.On)
                {
                    double cap = sp.CapWatts;
                    if (!(cap >= e.Server.CapMinWatts - 1e-6 && cap <= e.Server.CapMaxWatts + 1e-6))
                    {
                        refused = true;
                        cap = double.IsFinite(cap) ? cap : e.Server.CapMinWatts;
                    }

                    double x = Math.Min(Math.Clamp(demand, 0, 1), e.WorkAtCap(cap));
                    watts = e.PowerForWork(x);
                    units = x * e.Server.ThroughputPerHour * dt;
                }

                if (refused)
                {
                    ledger.RuleViolations++;
                }

                double value = units * e.Class.ValuePerUnitEur;
                ledger.ValueEur += value;
                ledger.WorkUnits += units;
                ledger.ServerWorkUnits[i] += units;
                ledger.ServerEnergyKwh[i] += watts * dt / 1000;
                ledger.ServerCostEur[i] += watts * dt / 1000 * price / 100;
                ledger.ServerCo2Kg[i] += watts * dt / 1000 * carbon / 1000;
                it += watts;

                state[i] = ServerPlanner.Step(interval, s, action, e, out int missed);
                if (missed > 0)
                {
                    ledger.DeadlinesMissed++;
                    ledger.ServerDeadlinesMissed[i]++;
                    ledger.MissedUnits += missed * e.SlotWork;
                    ledger.MissPenaltyEur += missed * e.SlotWork * e.Class.MissPenaltyEurPerUnit;
                }
            }

            if (it > rack.ItBudgetWatts + 1e-6)
            {
                ledger.EnvelopeViolations++;
            }

            double rackW = it + rack.FanWatts(it);
            double kwh = rackW * dt / 1000;
            double cost = kwh * price / 100;
            ledger.EnergyKwh += kwh;
            ledger.CostEur += cost;
            ledger.Co2Kg += kwh * carbon / 1000;
            ledger.PeakRackWatts = Math.Max(ledger.PeakRackWatts, rackW);
            ledger.Intervals++;
            net = ledger.NetValueEur;
            if (trace is not null)
            {
                trace.RackWatts[t] = rackW;
                trace.CumulativeNetEur[t] = net;
            }
        }

        return ledger;
    }
}
