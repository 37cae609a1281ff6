using System.Globalization;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Loads the inputs of a request, checks them, and runs the windows.</summary>
/// <remarks>
/// The policy runs at the price series' interval on an index of UTC instants: interval <c>k</c> starts at
/// <c>k × interval - offset</c> seconds after the Unix epoch, where the offset is the market zone's standard-time
/// offset, so the policy's days start at local midnight in winter (01:00 in summer). Month windows and
/// <c>--from</c> follow local market time.
/// </remarks>
public static class EvaluationRun
{
    /// <summary>Runs the request; <paramref name="plotWindow"/> receives the traces of the whole range.</summary>
    public static EvaluationReport Execute(EvaluationRequest req, out WindowTraces? plotWindow, out DateTime plotStart)
    {
        TimeZoneInfo zone = CarbonAlignment.FindZone(req.MarketZone);
        MarketSeries prices = MarketSeries.ReadPrices(req.Prices, zone, req.MaxGapHours);
        MarketSeries? carbon = req.Carbon is null ? null : MarketSeries.ReadCarbon(req.Carbon, zone, req.CarbonLifeCycle, req.MaxGapHours);
        double[]? demandShape = req.Demand is null ? null : DemandTrace.Read(req.Demand);
        RackSpec rack = RackFactory.Build(ServerCatalog.Read(req.Servers), req.Rack, req.Servers, prices.IntervalMinutes);
        var notes = new List<string>(prices.Notes);
        if (carbon is not null)
        {
            notes.AddRange(carbon.Notes);
        }

        DateTime Local(int i) => TimeZoneInfo.ConvertTime(prices.TimeOf(i), zone).DateTime;
        int Index(DateTime local) => (int)Math.Clamp(prices.IndexAt(new DateTimeOffset(local, zone.GetUtcOffset(local))), int.MinValue, int.MaxValue);
        int total = prices.Values.Length;
        int first = 0;
        if (req.From is DateTime from)
        {
            first = Index(from);
            if (first < 0 || first >= total)
            {
                throw new InputFormatException(req.Prices, 0, $"--from {from:yyyy-MM-dd} is outside the series ({Local(0):yyyy-MM-dd HH:mm} .. {Local(total - 1):yyyy-MM-dd HH:mm} {zone.Id})");
            }
        }

        int count = req.Days is int d ? Index(Local(first).AddDays(d)) - first : total - first;
        if (count < 1 || first + count > total)
        {
            throw new InputFormatException(req.Prices, 0, $"the series has {total - first} intervals from {Local(first):yyyy-MM-dd HH:mm}, {count} requested");
        }

        double[]? carbonSeries = carbon is null ? null : CarbonAlignment.Align(carbon, req.Carbon!, prices, first, count, notes);
        var windows = new List<(string Label, int First, int Count)>();
        if (req.ByMonth)
        {
            int i = first;
            while (i < first + count)
            {
                DateTime t = Local(i);
                int end = Math.Min(first + count, Index(new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1)));
                windows.Add((t.ToString("yyyy-MM", CultureInfo.InvariantCulture), i, end - i));
                i = end;
            }
        }

        windows.Add(("all", first, count));
        int perHour = rack.IntervalsPerHour;
        long stdOffset = (long)zone.BaseUtcOffset.TotalSeconds;
        var results = new List<WindowResult>();
        plotWindow = null;
        plotStart = Local(first);
        Scenario Window(int wFirst, int wCount)
        {
            double[] demand = new double[wCount];
            for (int t = 0; t < wCount; t++)
            {
                // The hourly shape, from the series' first hour on.
                demand[t] = demandShape is null ? 0.65 : demandShape[((wFirst + t) / perHour) % demandShape.Length];
            }

            long startInterval = (prices.TimeOf(wFirst).ToUnixTimeSeconds() + stdOffset) / (rack.IntervalMinutes * 60L);
            double[]? windowCarbon = carbonSeries?[(wFirst - first)..(wFirst - first + wCount)];
            return new Scenario(rack, startInterval, wCount, prices.Values[wFirst..], demand, windowCarbon) { PublishHourOfDay = req.PublishHourOfDay };
        }

        foreach ((string label, int wFirst, int wCount) in windows)
        {
            WindowResult r = PolicyEvaluator.Evaluate(label, Local(wFirst).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Window(wFirst, wCount), req.Baselines, out WindowTraces traces, req.Physical);
            results.Add(r);
            if (label == "all")
            {
                plotWindow = traces;
            }
        }

        IReadOnlyList<CarbonTradeOff>? tradeOff = null;
        if (req.CarbonPrices.Count > 0)
        {
            tradeOff = PolicyEvaluator.CarbonTradeOff(Window(first, count), req.CarbonPrices, out IReadOnlyList<(string Policy, HourTrace Trace)> carbonTraces);
            if (plotWindow is not null)
            {
                plotWindow = plotWindow with { Policies = [.. plotWindow.Policies, .. carbonTraces] };
            }
        }

        return new EvaluationReport(req.Prices, req.Carbon, req.Demand, req.Servers, rack.Servers.Count, rack.BudgetWatts, rack.ItBudgetWatts, prices.Currency, prices.IntervalMinutes, notes, results)
        {
            CarbonTradeOff = tradeOff,
        };
    }
}
