using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Policy;
using EdgeGovernor.TestSupport;
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="RackController"/> at the market interval (<c>market.intervalMinutes</c>, 15 by default): one decision per
/// interval across the clock changes, the ledger per interval, deferrable jobs in intervals, the carbon intensity and
/// carbon price in the decisions, and a 42-server step that allocates nothing.
/// </summary>
public sealed class MarketIntervalTests(ITestOutputHelper output)
{
    private const double Acceleration = 30;
    private const int StepMinutes = 5;
    private static readonly long Quarter = 15 * TimeSpan.TicksPerMinute;

    private static FirmwareConfig DemoConfig(CarbonConfig? carbon = null) => new()
    {
        NodeId = 1,
        Rack = DemoRunner.DemoRack(),
        Jobs = DemoRunner.DemoJobs(),
        PriceFeed = new PriceFeedConfig { Acceleration = Acceleration },
        Carbon = carbon ?? new CarbonConfig(),
    };

    /// <summary>The 42-server rack of the shipped <c>examples/edgegov-entsoe.json</c> (also what the decision benchmark runs).</summary>
    internal static FirmwareConfig Rack42()
    {
        FirmwareConfig config = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-entsoe.json")), ConfigJsonContext.Default.FirmwareConfig)!;
        config.PriceFeed = new PriceFeedConfig { Acceleration = Acceleration };
        return config;
    }

    [Fact]
    public void The_default_market_interval_is_15_minutes_and_the_rack_plans_at_it()
    {
        Assert.Equal(15, new FirmwareConfig().Market.IntervalMinutes);
        using var rack = new RackController(DemoConfig(), 1);
        Assert.Equal(15, rack.Spec.IntervalMinutes);
        Assert.Equal(192, rack.DayAheadIntervals); // 48 h of quarter-hours
    }

    [Theory]
    [InlineData(2025, 3, 30, 92)]   // Europe/Berlin springs forward: 23 hours
    [InlineData(2025, 10, 26, 100)] // falls back: 25 hours
    [InlineData(2025, 10, 27, 96)]
    public void Across_a_clock_change_the_controller_decides_once_per_quarter_hour_and_books_each_one(int year, int month, int day, int quarters)
    {
        TimeZoneInfo berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = new DateTime(year, month, day);
        DateTime from = TimeZoneInfo.ConvertTimeToUtc(local, berlin), to = TimeZoneInfo.ConvertTimeToUtc(local.AddDays(1), berlin);
        Assert.Equal(quarters * 15, (to - from).TotalMinutes);

        var feed = new SyntheticPriceFeed(42, TimeSpan.FromMinutes(15));
        using var rack = new RackController(DemoConfig(), 1);
        double[] ahead = new double[rack.DayAheadIntervals];
        double open = 0;
        var closed = new List<double>();
        for (DateTime t = from; t <= to; t = t.AddMinutes(StepMinutes))
        {
            long interval = t.Ticks / Quarter;
            for (int k = 0; k < ahead.Length; k++)
            {
                ahead[k] = feed.At(new DateTime((interval + k) * Quarter)).CtPerKwh;
            }
            double marketSeconds = t == from ? 0 : StepMinutes * 60;
            long closedBefore = rack.Ledger.IntervalsClosed;
            rack.Step(interval, t.TimeOfDay.TotalHours, ahead[0], ahead, marketSeconds / Acceleration, marketSeconds);
            Assert.Equal(interval, rack.Interval);

            // The period that just passed is booked into the interval it belongs to, which then closes at the boundary.
            open += rack.Reading.PowerWatts * marketSeconds / 3600 / 1000;
            if (rack.Ledger.IntervalsClosed > closedBefore)
            {
                Assert.True(Math.Abs(open - rack.Ledger.LastIntervalKwh) < 1e-9, $"{t:HH:mm}: {open} vs {rack.Ledger.LastIntervalKwh}");
                closed.Add(open);
                open = 0;
            }
        }

        // Every quarter-hour of the local day was decided (plus the boundary at its end) and booked, no more.
        Assert.Equal(quarters + 1, rack.IntervalsDecided);
        Assert.Equal(quarters, rack.Ledger.IntervalsClosed);
        Assert.Equal(quarters, closed.Count);
        Assert.True(Math.Abs(rack.Ledger.Kwh - closed.Sum()) < 1e-9);
        // Three 5-minute periods per quarter-hour: each between the rack's floor and its budget for 15 minutes.
        double floor = DemoRunner.DemoRack().Servers.Sum(s => s.Count * s.MinCapWatts) * 0.35;
        Assert.All(closed, kwh => Assert.InRange(kwh, floor * 0.25 / 1000, rack.BudgetWatts * 0.25 / 1000));

        // The batch jobs (released at midnight, due 18 hours later, in quarter-hours) were all done on time.
        output.WriteLine($"{local:yyyy-MM-dd}: {quarters} quarter-hours, {rack.Ledger.Kwh:0.00} kWh, deferred {rack.Reading.DeferredUnitsDone:0.##}/{rack.Reading.DeferredUnitsReleased:0.##}, met {rack.Reading.DeadlinesMet}");
        Assert.Equal(4, rack.Reading.DeadlinesMet);
        Assert.Equal(0, rack.Reading.DeadlinesMissed);
        Assert.Equal(rack.Reading.DeferredUnitsReleased, rack.Reading.DeferredUnitsDone, 6);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(60)]
    public void At_every_supported_interval_the_controller_decides_once_per_interval(int minutes)
    {
        FirmwareConfig config = DemoConfig();
        config.Market.IntervalMinutes = minutes;
        using var rack = new RackController(config, 1);
        Assert.Equal(minutes, rack.Spec.IntervalMinutes);
        long ticks = minutes * TimeSpan.TicksPerMinute;
        DateTime from = DemoRunner.DemoDay.AddHours(6);
        for (DateTime t = from; t < from.AddHours(6); t = t.AddMinutes(StepMinutes))
        {
            rack.Step(t.Ticks / ticks, t.TimeOfDay.TotalHours, 10, StepMinutes * 60 / Acceleration, StepMinutes * 60);
        }
        Assert.Equal(360 / minutes, rack.IntervalsDecided);
        Assert.Equal((360 / minutes) - 1, rack.Ledger.IntervalsClosed);
        Assert.Equal(0, rack.Reading.DeadlinesMissed);
    }

    // A day at a flat price with the carbon intensity of each step from intensity(hour of day); returns the deferrable
    // units the batch servers did in the high-carbon hours, and the controller's setpoints per step.
    private static (double HighCarbonUnits, List<ServerSetpoint[]> Setpoints, RackController Rack) RunCarbonDay(FirmwareConfig config, Func<double, double>? intensity, Func<double, bool> highCarbon)
    {
        var rack = new RackController(config, 1);
        double[] ahead = new double[rack.DayAheadIntervals];
        Array.Fill(ahead, 10.0);
        double[] carbon = new double[rack.DayAheadIntervals];
        var setpoints = new List<ServerSetpoint[]>();
        double high = 0;
        DateTime from = DemoRunner.DemoDay;
        for (DateTime t = from; t < from.AddDays(1); t = t.AddMinutes(StepMinutes))
        {
            long interval = t.Ticks / Quarter;
            if (intensity is not null)
            {
                for (int k = 0; k < carbon.Length; k++)
                {
                    carbon[k] = intensity(new DateTime((interval + k) * Quarter).TimeOfDay.TotalHours);
                }
                rack.SetCarbon(intensity(t.TimeOfDay.TotalHours), carbon);
            }
            double before = rack.Reading.DeferredUnitsDone;
            rack.Step(interval, t.TimeOfDay.TotalHours, 10, ahead, StepMinutes * 60 / Acceleration, StepMinutes * 60);
            // The work booked at this step was done in the period before it.
            if (highCarbon(t.AddMinutes(-StepMinutes).TimeOfDay.TotalHours))
            {
                high += rack.Reading.DeferredUnitsDone - before;
            }
            setpoints.Add([.. Enumerable.Range(0, rack.ServerCount).Select(rack.Setpoint)]);
        }
        return (high, setpoints, rack);
    }

    [Fact]
    public void A_carbon_price_moves_deferrable_work_out_of_high_carbon_intervals()
    {
        // Coal in the small hours (1.0 kg/kWh from 00:00 to 08:00), solar later (0.05): the batch window is 00:00-18:00.
        static double Intensity(double hour) => hour < 8 ? 1.0 : 0.05;
        static bool High(double hour) => hour < 8;
        var none = new CarbonConfig { PricePerTonne = 0 };
        var priced = new CarbonConfig { PricePerTonne = 300 }; // +30 ct/kWh at 1 kg/kWh, +1.5 ct at 0.05
        (double withoutPrice, _, RackController a) = RunCarbonDay(DemoConfig(none), Intensity, High);
        (double withPrice, _, RackController b) = RunCarbonDay(DemoConfig(priced), Intensity, High);
        using (a)
        using (b)
        {
            output.WriteLine($"batch units in the high-carbon hours: {withoutPrice:0.##} without a carbon price, {withPrice:0.##} at 300 EUR/t; kg CO2 {a.Ledger.KgCo2:0.#} / {b.Ledger.KgCo2:0.#}");
            Assert.True(withoutPrice > 1, $"without a carbon price the batch runs in the small hours too ({withoutPrice})");
            Assert.True(withPrice < withoutPrice / 2, $"with a carbon price less batch work in high-carbon hours: {withPrice} vs {withoutPrice}");
            Assert.Equal(0, b.Reading.DeadlinesMissed);
            Assert.True(b.Ledger.KgCo2 < a.Ledger.KgCo2);
        }
    }

    [Fact]
    public void Without_a_carbon_price_the_intensity_changes_the_books_but_no_decision()
    {
        static double Intensity(double hour) => hour < 8 ? 1.0 : 0.05;
        // No carbon configuration: the fixed default factor (what RackStepDuty passes without a series), no ahead.
        (_, List<ServerSetpoint[]> fixedFactor, RackController a) = RunCarbonDay(DemoConfig(), _ => EnergyLedger.KgCo2PerKwh, _ => false);
        // No intensity at all (the governor sees NaN: no carbon cost).
        (_, List<ServerSetpoint[]> unknown, RackController b) = RunCarbonDay(DemoConfig(), null, _ => false);
        // A series, but no carbon price.
        (_, List<ServerSetpoint[]> series, RackController c) = RunCarbonDay(DemoConfig(new CarbonConfig { Kind = "csv", PricePerTonne = 0 }), Intensity, _ => false);
        using (a)
        using (b)
        using (c)
        {
            Assert.Equal(unknown.Count, fixedFactor.Count);
            for (int i = 0; i < unknown.Count; i++)
            {
                Assert.Equal(unknown[i], fixedFactor[i]);
                Assert.Equal(unknown[i], series[i]);
            }
            Assert.Equal(a.Ledger.Kwh * EnergyLedger.KgCo2PerKwh, a.Ledger.KgCo2, 9);
            Assert.Equal(b.Ledger.KgCo2, a.Ledger.KgCo2, 9);
            Assert.NotEqual(a.Ledger.KgCo2, c.Ledger.KgCo2, 3);
        }
    }

    [Fact]
    public void The_42_server_decision_at_15_minutes_allocates_nothing_at_interval_boundaries()
    {
        FirmwareConfig config = Rack42();
        using var rack = new RackController(config, 1);
        Assert.Equal(42, rack.ServerCount);
        Assert.Equal(15, rack.Spec.IntervalMinutes);
        double[] ahead = [.. Enumerable.Range(0, rack.DayAheadIntervals).Select(k => 8 + (6 * Math.Sin(k / 12.0)))];
        double[] carbon = [.. Enumerable.Range(0, rack.DayAheadIntervals).Select(k => 0.3 + (0.2 * Math.Cos(k / 10.0)))];
        long interval = DemoRunner.DemoDay.Ticks / Quarter;
        // Warm-up: a day and a half of boundaries (every plan made, job released, deadlines passed).
        for (int i = 0; i < 150; i++, interval++)
        {
            rack.SetCarbon(carbon[0], carbon);
            rack.Step(interval, (interval % 96) / 4.0, ahead[0], ahead, 0, 900);
        }

        // Each call is the first step of the next quarter-hour: the whole boundary (jobs, switches, plan, caps, ledger).
        // No wall time passes: the simulated servers' physics is hal's (see SimulatedRackBackendTests).
        AllocationAssert.NothingInSteadyState(40, () =>
        {
            rack.SetCarbon(carbon[0], carbon);
            rack.Step(interval, (interval % 96) / 4.0, ahead[0], ahead, 0, 900);
            interval++;
        });
        Assert.Equal(0, rack.Reading.HardwareErrors);
    }
}
