using System.Globalization;
using BenchmarkDotNet.Attributes;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Benchmarks.Policy;

/// <summary>
/// One governor decision for the evaluation's 42-server rack (the shipped SPECpower curves from
/// ../shared/data/power/specpower_curves.csv; web, analytics and batch servers in turn).
/// <c>SteadyState</c>: a control period within the hour (envelope and water-filling on the hour's plan).
/// <c>HourBoundary</c>: the first period of each successive hour (plans looked up or remade; deferrable plans
/// are remade when a deadline passes or new day-ahead prices arrive, about twice a day, included in the mean).
/// <c>Replan</c>: the worst case, every deferrable plan remade (each call jumps a day ahead).
/// <c>OneDeferrablePlan</c>: one deferrable group's plan (41 h, every state): what a call adds at most with
/// <see cref="GovernorOptions.MaxPlanSolvesPerCall"/> = 1, which spreads the daily re-plan over periods.
/// <see cref="IntervalMinutes"/>: the market interval the rack plans at (60: hourly; 15: quarter-hours, where an
/// "hour boundary" is an interval boundary and the plans have four times the steps and states per duration).
/// </summary>
[MemoryDiagnoser]
public class GovernorBenchmarks
{
    private Governor _governor = null!;
    private ServerState[] _states = null!;
    private DeferrableJob[] _jobs = null!;
    private double[] _dayAhead = null!;
    private ServerSetpoint[] _setpoints = null!;
    private long _hour;
    private int _perHour;
    private ServerPlanner _planner = null!;
    private double[] _eur = null!;
    private int _k;

    /// <summary>Market interval of the rack (minutes).</summary>
    [Params(60, 15)]
    public int IntervalMinutes { get; set; } = 60;

    [GlobalSetup]
    public void Setup()
    {
        RackSpec rack = BuildRack(IntervalMinutes);
        _perHour = rack.IntervalsPerHour;
        _hour = 1000L * rack.IntervalsPerDay;
        _governor = new Governor(rack);
        _states = new ServerState[rack.Servers.Count];
        var jobs = new List<DeferrableJob>();
        for (int i = 0; i < _states.Length; i++)
        {
            _states[i] = new ServerState(true, 5 * _perHour, 0, 0.55 + (0.01 * (i % 30)));
            if (rack.Economics(i).Class.Deferrable)
            {
                jobs.Add(new DeferrableJob(i, 6 * _perHour, _hour + (18 * _perHour)));
            }
        }

        _jobs = [.. jobs];
        _dayAhead = Enumerable.Range(0, 48 * _perHour).Select(i => 4.0 + (6 * Math.Sin(i / (3.0 * _perHour)))).ToArray();
        _setpoints = new ServerSetpoint[rack.Servers.Count];
        Decide(_hour, 8);
        ServerEconomics batch = rack.Economics(2 + (3 * 7)); // a batch server of the largest state space
        _planner = new ServerPlanner(batch, Governor.MaxHorizonHours * _perHour, keepDecisions: true);
        _eur = _dayAhead.Take(41 * _perHour).Select(rack.EurPerItWh).ToArray();
    }

    /// <summary>One deferrable group's plan over 41 h (13:00 to the deadline after next), every state.</summary>
    [Benchmark]
    public double OneDeferrablePlan() =>
        _planner.Solve(_hour - (_hour % (24 * _perHour)) + (13 * _perHour), _eur, default, 0, new CycleState(true, 2 * _perHour, 0, 6 * _perHour), out _);

    private RackDecision Decide(long hour, double price)
    {
        // Day-ahead prices as published: to the end of today, from 13:00 to the end of tomorrow.
        int perDay = 24 * _perHour;
        int hod = (int)(hour % perDay);
        int known = perDay - hod + (hod >= 13 * _perHour ? perDay : 0);
        return _governor.Decide(new PolicyInput { Interval = hour, PriceCentsPerKwh = price, DayAhead = _dayAhead.AsSpan(0, known), Servers = _states, Jobs = _jobs }, _setpoints);
    }

    /// <summary>A period within the interval: same plan, new demand and price.</summary>
    [Benchmark]
    public double SteadyState() => Decide(_hour, 8 + (++_k & 3)).ItWatts;

    /// <summary>The first period of a new interval: plans remade for every server (jobs due 18 h ahead).</summary>
    [Benchmark]
    public double HourBoundary()
    {
        _hour++;
        for (int j = 0; j < _jobs.Length; j++)
        {
            _jobs[j] = _jobs[j] with { DeadlineInterval = _hour + (18 * _perHour) };
        }

        return Decide(_hour, 8).ItWatts;
    }

    /// <summary>Worst case: a day later each call, so every deferrable group's plan is solved again.</summary>
    [Benchmark]
    public double Replan()
    {
        _hour += 24 * _perHour;
        for (int j = 0; j < _jobs.Length; j++)
        {
            _jobs[j] = _jobs[j] with { DeadlineInterval = _hour + (18 * _perHour) };
        }

        return Decide(_hour, 8).ItWatts;
    }

    private static RackSpec BuildRack(int intervalMinutes)
    {
        List<PowerCurve> curves = File.ReadAllLines(RepoPaths.SpecPowerCurves).Skip(1).Where(l => l.Length > 0)
            .Select(l => new PowerCurve(l.Split(',')[2..13].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();
        JobClass[] classes =
        [
            JobClass.Interactive("web", 0.04, 0.5),
            JobClass.Interactive("analytics", 0.025, 1.0),
            new JobClass("batch", 0.02, 1.0, true, 8, 6, 24, 5),
        ];
        var servers = new List<ServerSpec>();
        for (int i = 0; i < 42; i++)
        {
            PowerCurve c = curves[i % curves.Count];
            int role = i % 3;
            servers.Add(new ServerSpec($"s{i}", c, 1, c.IdleWatts + (0.2 * (c.MaxWatts - c.IdleWatts)), c.MaxWatts, 180, 0.06 * c.MaxWatts, role == 0, 2, 1, 2, role));
        }

        double full = servers.Sum(s => s.Curve.MaxWatts);
        return new RackSpec(servers, classes, (0.8 * full * 1.05) + 150, 0.9 * full, 150, 0.05, intervalMinutes);
    }

}
