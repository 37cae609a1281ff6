using System.Globalization;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Policy.Tests;

/// <summary>Small racks and random instances for the tests.</summary>
internal static class TestRacks
{
    public static PowerCurve Linear(double idle, double max) =>
        new(Enumerable.Range(0, PowerCurve.PointCount).Select(i => idle + ((max - idle) * i / 10.0)).ToArray());

    public static ServerSpec Server(string name, PowerCurve curve, int jobClass, bool isProtected = true, double bootWh = 10, int minOn = 1, int minOff = 1, int cycles = 4, double capMin = -1) =>
        new(name, curve, 1.0, capMin >= 0 ? capMin : curve.IdleWatts, curve.MaxWatts, 60, bootWh, isProtected, minOn, minOff, cycles, jobClass);

    public static JobClass Batch(double value, int slots, int release, int deadline) =>
        new("batch", value, 1.0, Deferrable: true, DailySlots: slots, ReleaseHourOfDay: release, DeadlineHours: deadline, MissPenaltyEurPerUnit: 5);

    /// <summary>A rack without fans and with a budget that never binds unless given.</summary>
    public static RackSpec Rack(IReadOnlyList<ServerSpec> servers, IReadOnlyList<JobClass> classes, double itBudget = 1e6) =>
        new(servers, classes, itBudget, itBudget, 0, 0);

    /// <summary>
    /// A random tiny rack: 1..maxServers servers, one interactive and one deferrable class. With
    /// <paramref name="fansAndThermal"/> the rack has fans (a minimum and a share of IT power) and a thermal
    /// limit, and either the PDU budget or the thermal limit is the one that sets the IT budget.
    /// </summary>
    public static RackSpec RandomRack(Random rng, int maxServers, bool tightBudget, bool fansAndThermal = false)
    {
        var classes = new List<JobClass>
        {
            JobClass.Interactive("web", 0.01 + (rng.NextDouble() * 0.07), Math.Round(rng.NextDouble(), 2)),
        };
        int slots = rng.Next(1, 4);
        classes.Add(Batch(0.005 + (rng.NextDouble() * 0.05), slots, rng.Next(0, 2), rng.Next(slots, 5)));
        int n = rng.Next(1, maxServers + 1);
        var servers = new List<ServerSpec>();
        for (int i = 0; i < n; i++)
        {
            var w = new double[PowerCurve.PointCount];
            w[0] = 40 + rng.Next(0, 80);
            for (int k = 1; k < w.Length; k++)
            {
                w[k] = w[k - 1] + 1 + rng.Next(0, 25);
            }

            var curve = new PowerCurve(w);
            double capMin = curve.IdleWatts + (rng.NextDouble() * 0.5 * (curve.MaxWatts - curve.IdleWatts));
            servers.Add(new ServerSpec(
                $"s{i}", curve, 0.5 + rng.NextDouble(), capMin, curve.MaxWatts, 60, rng.Next(0, 300),
                rng.Next(0, 3) == 0, rng.Next(1, 3), rng.Next(1, 3), rng.Next(0, 3), rng.Next(0, 2)));
        }

        var probe = Rack(servers, classes);
        double floor = 0, full = 0;
        for (int i = 0; i < servers.Count; i++)
        {
            ServerEconomics e = probe.Economics(i);
            floor += Math.Max(e.FloorWatts(1), e.BootWatts);
            full += servers[i].Curve.MaxWatts;
        }

        double budget = tightBudget ? floor + (rng.NextDouble() * Math.Max(1, full - floor)) : full * 2;
        double it = Math.Max(budget, floor);
        if (!fansAndThermal)
        {
            return Rack(servers, classes, it);
        }

        it += 1e-6;
        double fanMin = rng.Next(0, 60);
        double fanPerIt = rng.NextDouble() * 0.1;
        bool thermalBinds = rng.Next(0, 2) == 0;
        double thermal = thermalBinds ? it : it * (1 + rng.NextDouble());
        double pdu = fanMin + (it * (1 + fanPerIt) * (thermalBinds ? 1 + rng.NextDouble() : 1));
        return new RackSpec(servers, classes, pdu, thermal, fanMin, fanPerIt);
    }

    public static double[] RandomPrices(Random rng, int hours) =>
        Enumerable.Range(0, hours).Select(_ => Math.Round(-15 + (rng.NextDouble() * 80), 2)).ToArray();

    public static double[] RandomDemand(Random rng, int hours) =>
        Enumerable.Range(0, hours).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();

    /// <summary>The shipped SPECpower curves: reads ../shared/data/power/specpower_curves.csv.</summary>
    public static IReadOnlyList<PowerCurve> ShippedCurves()
    {
        return File.ReadAllLines(RepoPaths.SpecPowerCurves).Skip(1).Where(l => l.Length > 0)
            .Select(l => new PowerCurve(l.Split(',')[2..13].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();
    }

    /// <summary>The evaluation's 42-server rack (web protected, analytics, batch in turn) on the shipped curves.</summary>
    public static RackSpec FortyTwo()
    {
        IReadOnlyList<PowerCurve> curves = ShippedCurves();
        JobClass[] classes =
        [
            JobClass.Interactive("web", 0.04, 0.5),
            JobClass.Interactive("analytics", 0.025, 1.0),
            new JobClass("batch", 0.02, 1.0, true, 8, 6, 24, 5),
        ];
        var specs = new Dictionary<(int, int), ServerSpec>();
        var servers = new List<ServerSpec>();
        for (int i = 0; i < 42; i++)
        {
            int type = i % curves.Count, role = i % 3;
            if (!specs.TryGetValue((type, role), out ServerSpec? s))
            {
                PowerCurve c = curves[type];
                s = new ServerSpec($"t{type}", c, 1, c.IdleWatts + (0.2 * (c.MaxWatts - c.IdleWatts)), c.MaxWatts, 180, 0.06 * c.MaxWatts, role == 0, 2, 1, 2, role);
                specs[(type, role)] = s;
            }

            servers.Add(s);
        }

        double full = servers.Sum(s => s.Curve.MaxWatts);
        return new RackSpec(servers, classes, (0.8 * full * 1.05) + 150, 0.9 * full, 150, 0.05);
    }
}
