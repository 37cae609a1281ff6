using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Benchmarks.Firmware;

/// <summary>
/// The firmware's whole decide step (<see cref="RackController.Step"/> with the carbon intensities of
/// <see cref="RackController.SetCarbon"/>) for the 42-server rack of <c>examples/edgegov-entsoe.json</c> (14 protected
/// web, 14 switchable analytics, 14 switchable batch servers with a daily deferrable job) on the simulated backend, at
/// the market interval of <see cref="IntervalMinutes"/>: 192 quarter-hours of day-ahead prices and carbon intensities.
/// <c>IntervalBoundary</c>: the first step of each successive interval (switches take effect, jobs released and due,
/// the governor plans the interval, power commands, envelope and caps, the ledger closes the interval).
/// <c>WithinInterval</c>: a further control step inside the interval (the interval's plan, new demand and caps).
/// No wall time passes between steps, so the simulated servers' physics (hal's) is not in the figure.
/// </summary>
[MemoryDiagnoser]
public class RackDecisionBenchmarks
{
    private RackController _rack = null!;
    private double[] _dayAhead = null!;
    private double[] _carbon = null!;
    private long _interval;
    private int _perDay;
    private int _k;

    /// <summary>Market interval of the rack (minutes).</summary>
    [Params(15)]
    public int IntervalMinutes { get; set; } = 15;

    [GlobalSetup]
    public void Setup()
    {
        FirmwareConfig config = JsonSerializer.Deserialize(
            File.ReadAllText(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-entsoe.json")), ConfigJsonContext.Default.FirmwareConfig)!;
        config.PriceFeed = new PriceFeedConfig { Acceleration = 30 };
        config.Market.IntervalMinutes = IntervalMinutes;
        _rack = new RackController(config, 1);
        _perDay = _rack.Spec.IntervalsPerDay;
        _dayAhead = [.. Enumerable.Range(0, _rack.DayAheadIntervals).Select(k => 8 + (6 * Math.Sin(k * 4.0 / _perDay * 3)))];
        _carbon = [.. Enumerable.Range(0, _rack.DayAheadIntervals).Select(k => 0.3 + (0.2 * Math.Cos(k * 4.0 / _perDay * 2.5)))];
        _interval = 740_000L * _perDay;
        // A day and a half of boundaries first: every plan made, jobs released, deadlines passed.
        for (int i = 0; i < _perDay * 3 / 2; i++)
        {
            IntervalBoundary();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _rack.Dispose();

    /// <summary>The first step of the next market interval.</summary>
    [Benchmark]
    public double IntervalBoundary()
    {
        _interval++;
        _rack.SetCarbon(_carbon[0], _carbon);
        _rack.Step(_interval, (_interval % _perDay) * 24.0 / _perDay, _dayAhead[0], _dayAhead, 0, 60);
        return _rack.Reading.CapWatts;
    }

    /// <summary>A further control step within the interval.</summary>
    [Benchmark]
    public double WithinInterval()
    {
        _rack.SetCarbon(_carbon[0], _carbon);
        _rack.Step(_interval, ((_interval % _perDay) * 24.0 / _perDay) + ((++_k & 7) / 3600.0), _dayAhead[0] + (_k & 3), _dayAhead, 0, 1);
        return _rack.Reading.CapWatts;
    }
}
