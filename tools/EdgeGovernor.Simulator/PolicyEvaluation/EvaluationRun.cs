using System.Globalization;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Loads the inputs of a request, checks them, and runs the windows.</summary>
public static class EvaluationRun
{
    /// <summary>Hour 0 of the absolute hour axis the policy sees (any midnight works; this one keeps numbers small).</summary>
    public static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Runs the request; <paramref name="plotWindow"/> receives the traces of the whole range.</summary>
    public static EvaluationReport Execute(EvaluationRequest req, out WindowTraces? plotWindow, out DateTime plotStart)
    {
        TimeZoneInfo zone = CarbonAlignment.FindZone(req.MarketZone);
        HourlySeries prices = HourlySeries.ReadPrices(req.Prices, req.MaxGapHours);
        HourlySeries? carbon = req.Carbon is null ? null : HourlySeries.ReadCarbon(req.Carbon, req.CarbonLifeCycle, req.MaxGapHours);
        double[]? demandShape = req.Demand is null ? null : DemandTrace.Read(req.Demand);
        RackSpec rack = RackFactory.Build(ServerCatalog.Read(req.Servers), req.Rack, req.Servers);
        var notes = new List<string>(prices.Notes);
        if (carbon is not null)
        {
            notes.AddRange(carbon.Notes);
        }

        int first = 0;
        if (req.From is DateTime from)
        {
            first = prices.IndexOf(from);
            if (first < 0)
            {
                throw new InputFormatException(req.Prices, 0, $"--from {from:yyyy-MM-dd} is outside the series ({prices.Start:yyyy-MM-dd} .. {prices.TimeOf(prices.Values.Length - 1):yyyy-MM-dd HH:mm})");
            }
        }

        int hours = req.Days is int d ? d * 24 : prices.Values.Length - first;
        if (hours < 1 || first + hours > prices.Values.Length)
        {
            throw new InputFormatException(req.Prices, 0, $"the series has {prices.Values.Length - first} hours from {prices.TimeOf(first):yyyy-MM-dd HH:mm}, {hours} requested");
        }

        double[]? carbonSeries = carbon is null ? null : CarbonAlignment.Align(carbon, req.Carbon!, prices, first, hours, zone, notes);
        var windows = new List<(string Label, int First, int Hours)>();
        if (req.ByMonth)
        {
            int i = first;
            while (i < first + hours)
            {
                DateTime t = prices.TimeOf(i);
                DateTime next = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                int end = Math.Min(first + hours, i + (int)(next - t).TotalHours);
                windows.Add((t.ToString("yyyy-MM", CultureInfo.InvariantCulture), i, end - i));
                i = end;
            }
        }

        windows.Add(("all", first, hours));
        var results = new List<WindowResult>();
        plotWindow = null;
        plotStart = prices.TimeOf(first);
        foreach ((string label, int wFirst, int wHours) in windows)
        {
            DateTime start = prices.TimeOf(wFirst);
            double[] demand = demandShape is null ? Enumerable.Repeat(0.65, wHours).ToArray() : DemandTrace.Repeat(demandShape, wHours, wFirst);
            var scenario = new Scenario(rack, (long)(start - Epoch).TotalHours, wHours, prices.Values[wFirst..], demand, carbonSeries?[(wFirst - first)..(wFirst - first + wHours)])
            {
                PublishHourOfDay = req.PublishHourOfDay,
            };
            WindowResult r = PolicyEvaluator.Evaluate(label, start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), scenario, req.Baselines, out WindowTraces traces, req.Physical);
            results.Add(r);
            if (label == "all")
            {
                plotWindow = traces;
            }
        }

        return new EvaluationReport(req.Prices, req.Carbon, req.Demand, req.Servers, rack.Servers.Count, rack.BudgetWatts, rack.ItBudgetWatts, notes, results);
    }
}
