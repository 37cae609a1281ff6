using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Policy;
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="RackController"/> on the simulated rack of hal/, driven hour by hour in market time: power cycling of
/// unprotected servers (executed through the simulated BMCs), deferrable work planned over the upcoming prices, the
/// stale-price safe policy, and a whole day of the demo's rack on the synthetic prices.
/// </summary>
public sealed class RackControllerTests(ITestOutputHelper output)
{
    private const double Acceleration = 30;      // boot 180 s of market time = 6 s of the simulated rack's wall time
    private const int StepsPerHour = 12;         // 300 s of market time per control step

    private static FirmwareConfig Config(ServerConfig[] servers, JobConfig[] jobs, double budget = 4000, string safeMode = "fixed-cap") => new()
    {
        NodeId = 1,
        Rack = new RackConfig { BudgetWatts = budget, Servers = servers },
        Jobs = jobs,
        // These tests step and check hour by hour: an hourly market (the 15-minute one has tests of its own).
        Market = new MarketConfig { IntervalMinutes = 60 },
        PriceFeed = new PriceFeedConfig { Acceleration = Acceleration },
        SafePolicy = new SafePolicyConfig { Mode = safeMode },
    };

    // One market hour of control steps at price[hour] (NaN: stale), the governor seeing price[hour..] ahead when given.
    private static void RunHour(RackController rack, long hour, double[] prices, bool dayAhead, Action<int>? afterStep = null)
    {
        int t = (int)(hour - Start);
        double price = t < prices.Length ? prices[t] : prices[^1];
        double[] ahead = dayAhead ? [.. prices.Skip(t).Take(RackController.MaxDayAheadHours)] : [];
        for (int k = 0; k < StepsPerHour; k++)
        {
            double marketSeconds = 3600.0 / StepsPerHour;
            rack.Step(hour, (hour % 24) + (k * marketSeconds / 3600.0), price, ahead, marketSeconds / Acceleration, marketSeconds);
            afterStep?.Invoke(k);
        }
    }

    private const long Start = 24 * 739_000; // a midnight (absolute hours)

    [Fact]
    public void Expensive_hours_switch_an_unprotected_server_off_it_comes_back_when_cheap_after_its_minimum_off_time_a_protected_one_never()
    {
        FirmwareConfig config = Config(
            [
                new ServerConfig { Name = "web", Count = 1, MinCapWatts = 160, MaxCapWatts = 400, Protected = true, Job = "low" },
                new ServerConfig { Name = "spare", Count = 1, MinCapWatts = 160, MaxCapWatts = 400, Protected = false, Job = "low", MinOffHours = 3, MinOnHours = 1, MaxCyclesPerDay = 2 },
            ],
            [new JobConfig { Name = "low", ValuePerUnitEur = 0.04, CpuSensitivity = 1.0 }]);
        // 2 cheap hours, 2 very expensive, then cheap for the rest of the day.
        double[] prices = [.. Enumerable.Range(0, 30).Select(h => h is 2 or 3 ? 80.0 : 3.0)];
        using var rack = new RackController(config, 1);
        var upAt = new List<bool>();
        var poweredAt = new List<ServerPowerState>();
        for (long h = Start; h < Start + 10; h++)
        {
            RunHour(rack, h, prices, dayAhead: true);
            upAt.Add(rack.IsUp(1));
            poweredAt.Add(((SimulatedRackBackend)rack.Backend).Rack.SimulatedServers[1].PowerState);
            Assert.True(rack.IsUp(0), $"the protected server went down in hour {h - Start}");
            Assert.Equal(ServerPowerState.On, ((SimulatedRackBackend)rack.Backend).Rack.SimulatedServers[0].PowerState);
        }
        output.WriteLine(string.Join(" ", upAt.Select((u, i) => $"{i}:{(u ? "up" : "down")}/{poweredAt[i]}")));

        // Off during the expensive hours (switched in hour 2: down from hour 3 in the policy's hour model, the BMC off at once).
        Assert.True(upAt[0] && upAt[1], "switched off before the expensive hours");
        Assert.Equal(ServerPowerState.Off, poweredAt[2]);
        int firstDown = upAt.IndexOf(false);
        int backUp = upAt.FindIndex(firstDown, u => u);
        Assert.True(firstDown is 2 or 3, $"first down hour {firstDown}");
        Assert.True(backUp > 0, "never came back on in the cheap hours");
        Assert.True(backUp - firstDown >= 3, $"back up after {backUp - firstDown} h, minimum off time is 3 h");
        Assert.Equal(ServerPowerState.On, poweredAt[^1]);
        Assert.Equal(1, rack.Reading.PowerOffs);
        Assert.Equal(1, rack.Reading.PowerOns);
        Assert.True(rack.Reading.OffServerHours >= 3, $"{rack.Reading.OffServerHours} server-hours off");
    }

    [Fact]
    public void A_server_configured_protected_is_never_switched_even_when_every_hour_loses_money()
    {
        FirmwareConfig config = Config(
            [new ServerConfig { Name = "web", Count = 2, MinCapWatts = 160, MaxCapWatts = 400, Protected = true, Job = "worthless" }],
            [new JobConfig { Name = "worthless", ValuePerUnitEur = 0, CpuSensitivity = 1.0 }]);
        double[] prices = [.. Enumerable.Repeat(300.0, 30)];
        using var rack = new RackController(config, 1);
        for (long h = Start; h < Start + 6; h++)
        {
            RunHour(rack, h, prices, dayAhead: true);
            Assert.True(rack.IsUp(0) && rack.IsUp(1));
            Assert.Equal(PowerCommand.Keep, rack.Setpoint(0).Command);
        }
        Assert.Equal(0, rack.Reading.PowerOffs);
        Assert.Equal(0, rack.Reading.OffServerHours);
        Assert.All(((SimulatedRackBackend)rack.Backend).Rack.SimulatedServers, s => Assert.Equal(ServerPowerState.On, s.PowerState));
    }

    // Expensive except 04:00-08:00; a job of 3 full-load hours released at midnight, due at noon.
    private List<int> RunDeferrableMorning(bool dayAhead, out RackReading reading)
    {
        FirmwareConfig config = Config(
            [new ServerConfig { Name = "batch", Count = 2, MinCapWatts = 160, MaxCapWatts = 400, Protected = true, Job = "render" }],
            [new JobConfig { Name = "render", ValuePerUnitEur = 0.07, CpuSensitivity = 1.0, Deferrable = true, WorkHoursPerDay = 3, ReleaseHourOfDay = 0, DeadlineHours = 12 }]);
        double[] prices = [.. Enumerable.Range(0, 48).Select(h => h % 24 is >= 4 and < 8 ? 2.0 : 25.0)];
        using var rack = new RackController(config, 1);
        var ran = new SortedSet<int>();
        for (long h = Start; h < Start + 13; h++)
        {
            RunHour(rack, h, prices, dayAhead, k =>
            {
                if (rack.Setpoint(0).RunDeferrable && rack.Setpoint(1).RunDeferrable)
                {
                    ran.Add((int)(h - Start));
                }
            });
        }
        reading = rack.Reading;
        output.WriteLine($"day-ahead {dayAhead}: ran in hours {string.Join(",", ran)}; done {reading.DeferredUnitsDone:0.000} of {reading.DeferredUnitsReleased:0.000}, cost {reading.Eur:0.000} EUR");
        return [.. ran];
    }

    [Fact]
    public void Deferrable_work_runs_in_the_cheap_hours_it_knows_of_ahead_and_finishes_before_its_deadline()
    {
        List<int> ran = RunDeferrableMorning(dayAhead: true, out RackReading r);
        Assert.Equal(3, ran.Count);
        Assert.All(ran, h => Assert.InRange(h, 4, 7));
        Assert.Equal(2, r.DeadlinesMet);
        Assert.Equal(0, r.DeadlinesMissed);
        Assert.Equal(r.DeferredUnitsReleased, r.DeferredUnitsDone, 3);
    }

    [Fact]
    public void Without_upcoming_prices_the_same_job_meets_its_deadline_but_cannot_wait_for_cheap_hours_it_does_not_know()
    {
        List<int> ran = RunDeferrableMorning(dayAhead: false, out RackReading blind);
        RunDeferrableMorning(dayAhead: true, out RackReading seeing);
        Assert.Contains(ran, h => h is < 4 or >= 8);
        Assert.Equal(0, blind.DeadlinesMissed);
        Assert.Equal(blind.DeferredUnitsReleased, blind.DeferredUnitsDone, 3);
        Assert.True(blind.Eur > seeing.Eur, $"blind {blind.Eur} EUR, seeing {seeing.Eur} EUR");
    }

    [Fact]
    public void Stale_price_holds_the_safe_policy_fixed_caps_and_no_power_cycling()
    {
        FirmwareConfig config = Config(
            [
                new ServerConfig { Name = "web", Count = 2, MinCapWatts = 160, MaxCapWatts = 400, Protected = true, Job = "low" },
                new ServerConfig { Name = "spare", Count = 2, MinCapWatts = 160, MaxCapWatts = 400, Protected = false, Job = "low" },
            ],
            [new JobConfig { Name = "low", ValuePerUnitEur = 0.0, CpuSensitivity = 1.0 }]);
        double[] prices = [.. Enumerable.Repeat(double.NaN, 30)];
        using var rack = new RackController(config, 1);
        double safeCap = 160 + (config.SafePolicy.CapFraction * (400 - 160));
        for (long h = Start; h < Start + 4; h++)
        {
            RunHour(rack, h, prices, dayAhead: true);
            Assert.Equal(PolicyMode.StaleFixedCap, rack.Reading.Mode);
            for (int i = 0; i < 4; i++)
            {
                Assert.True(rack.IsUp(i));
                Assert.Equal(PowerCommand.Keep, rack.Setpoint(i).Command);
                Assert.True(rack.Setpoint(i).CapWatts <= safeCap + 1e-6, $"cap {rack.Setpoint(i).CapWatts} W above the safe cap {safeCap} W");
            }
        }
        Assert.Equal(0, rack.Reading.PowerOffs);
    }

    [Fact]
    public void The_demo_rack_over_a_synthetic_day_earns_more_than_its_energy_costs_moves_batch_work_and_switches_servers_off()
    {
        // The demo's day and seed: what one node of `edgegov demo` runs, without the processes.
        var feed = new SyntheticPriceFeed(42, TimeSpan.FromHours(1));
        DateTime day = DemoRunner.DemoDay;
        double[] prices = [.. Enumerable.Range(0, 48).Select(h => feed.At(day.AddHours(h)).CtPerKwh)];
        FirmwareConfig config = Config(DemoRunner.DemoRack().Servers, DemoRunner.DemoJobs(), budget: DemoRunner.DemoRack().BudgetWatts);
        using var rack = new RackController(config, 1);
        long start = day.Ticks / TimeSpan.TicksPerHour;
        var batchHours = new List<int>();
        for (long h = start; h < start + 24; h++)
        {
            int t = (int)(h - start);
            double[] ahead = [.. prices.Skip(t).Take(RackController.MaxDayAheadHours)];
            bool batchRan = false;
            for (int k = 0; k < StepsPerHour; k++)
            {
                double marketSeconds = 3600.0 / StepsPerHour;
                rack.Step(h, t + (k * marketSeconds / 3600.0), prices[t], ahead, marketSeconds / Acceleration, marketSeconds);
                batchRan |= rack.Setpoint(9).RunDeferrable;
            }
            if (batchRan)
            {
                batchHours.Add(t);
            }
        }
        RackReading r = rack.Reading;
        output.WriteLine(string.Join(" ", prices.Take(24).Select((p, i) => $"{i}:{p:0.0}")));
        output.WriteLine($"batch ran in hours {string.Join(",", batchHours)}");
        output.WriteLine($"{r.Kwh:0.00} kWh, {r.Eur:0.000} EUR, {r.KgCo2:0.00} kg, work {r.WorkValueEur:0.000} EUR, net {r.WorkValueEur - r.Eur:0.000} EUR, off {r.OffServerHours:0.0} server-h, " +
            $"cycles {r.PowerOffs}/{r.PowerOns}, deferred {r.DeferredUnitsDone:0.00}/{r.DeferredUnitsReleased:0.00}, met {r.DeadlinesMet} missed {r.DeadlinesMissed}, " +
            $"cap at peak {r.PeakPriceCt:0.0} ct: {r.InteractiveCapAtPeakWatts:0} W, at cheapest {r.CheapestPriceCt:0.0} ct: {r.InteractiveCapAtCheapestWatts:0} W");

        Assert.True(r.WorkValueEur > r.Eur, "the work is worth less than its energy");
        Assert.Equal(4, r.DeadlinesMet);
        Assert.Equal(0, r.DeadlinesMissed);
        Assert.Equal(r.DeferredUnitsReleased, r.DeferredUnitsDone, 2);
        Assert.True(r.OffServerHours > 0, "no server was ever switched off");
        double[] sorted = [.. prices.Take(24).Order()];
        double median = sorted[12];
        Assert.True(batchHours.Average(h => prices[h]) < median, "batch work did not go to the cheaper hours");
        Assert.True(r.InteractiveCapAtPeakWatts < r.InteractiveCapAtCheapestWatts, "caps did not drop at the peak price");
    }
}
