using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// Pins what <see cref="RackController"/> books over the demo's synthetic day on the simulated rack (deterministic:
/// the simulated rack moves only when stepped), so that restructuring the controller cannot change a figure.
/// The pinned values were recorded before the controller was split into backend, envelope, ledger and slots.
/// </summary>
public sealed class RackControllerPinTests(ITestOutputHelper output)
{
    private const double Acceleration = 30;
    private const int StepsPerHour = 12;

    [Fact]
    public void The_demo_day_books_the_pinned_figures()
    {
        var feed = new SyntheticPriceFeed(42, TimeSpan.FromHours(1));
        DateTime day = DemoRunner.DemoDay;
        double[] prices = [.. Enumerable.Range(0, 48).Select(h => feed.At(day.AddHours(h)).CtPerKwh)];
        // Two stale hours (safe policy) in the afternoon.
        prices[15] = prices[16] = double.NaN;
        var config = new FirmwareConfig
        {
            NodeId = 1,
            Rack = DemoRunner.DemoRack(),
            Jobs = DemoRunner.DemoJobs(),
            // Pinned at the hourly market it was recorded at: the interval refactoring must not move a figure.
            Market = new MarketConfig { IntervalMinutes = 60 },
            PriceFeed = new PriceFeedConfig { Acceleration = Acceleration },
        };
        using var rack = new RackController(config, 7);
        long start = day.Ticks / TimeSpan.TicksPerHour;
        for (long h = start; h < start + 30; h++)
        {
            int t = (int)(h - start);
            double[] ahead = [.. prices.Skip(t).Take(RackController.MaxDayAheadHours)];
            for (int k = 0; k < StepsPerHour; k++)
            {
                double marketSeconds = 3600.0 / StepsPerHour;
                rack.Step(h, (t % 24) + (k * marketSeconds / 3600.0), prices[t], ahead, marketSeconds / Acceleration, marketSeconds);
            }
        }
        RackReading r = rack.Reading;
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"kwh {r.Kwh:R} eur {r.Eur:R} kg {r.KgCo2:R} work {r.WorkValueEur:R} off {r.OffServerHours:R} cycles {r.PowerOffs}/{r.PowerOns} " +
            $"deferred {r.DeferredUnitsDone:R}/{r.DeferredUnitsReleased:R} met {r.DeadlinesMet} missed {r.DeadlinesMissed} envelope {r.EnvelopeActions} " +
            $"peak {r.PeakPriceCt:R}@{r.InteractiveCapAtPeakWatts:R} cheapest {r.CheapestPriceCt:R}@{r.InteractiveCapAtCheapestWatts:R} " +
            $"power {r.PowerWatts:R} caps {r.CapWatts:R} hottest {r.MaxTemperatureC:R} on {r.ServersOn} mode {r.Mode} errors {r.HardwareErrors}");
        output.WriteLine(figures);
        Assert.Equal(Pinned, figures);
    }

    private const string Pinned =
        "kwh 53.02137315654997 eur 3.7344254553555536 kg 22.746169084159988 work 11.977137217552283 off 75.25000000000009 cycles 18/14 deferred 44.000000000000156/64 met 4 missed 0 envelope 1744 peak 47.888000" +
        "000000005@160 cheapest -2.3329999999999997@300 power 1062.881744063338 caps 1748.9421418256889 hottest 56.236 on 6 mode Normal errors 0";
}
