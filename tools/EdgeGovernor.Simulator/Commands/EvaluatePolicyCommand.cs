using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Commands;

/// <summary>
/// <c>evaluate-policy --prices &lt;csv&gt; [--carbon &lt;csv&gt;] [--market-zone IANA-id] [--demand &lt;csv&gt;] [--servers &lt;csv&gt;]
/// [--from DATE --days N] [--by-month] [--json] [--plot out.svg] [--carbon-prices 0,80,200]</c>: runs the governor,
/// the baselines and the offline optimum over a price trace (any interval of 5 to 60 minutes, any currency) and prints
/// their figures. Exit codes: 0 done (and for <c>--help</c>), 1 bad input file, 2 bad arguments.
/// </summary>
internal static class EvaluatePolicyCommand
{
    private const string Usage =
        "usage: evaluate-policy --prices <csv> [--carbon <csv>] [--carbon-lca] [--market-zone IANA-id] [--demand <csv>]\n" +
        "                       [--servers <csv>] [--from yyyy-MM-dd] [--days N] [--by-month] [--json] [--plot out.svg]\n" +
        "                       [--budget W] [--thermal W] [--rack-servers N] [--static-cap W] [--threshold c/kWh]\n" +
        "                       [--publish-hour H] [--max-gap-hours N] [--physical] [--carbon-prices P,P,...]\n" +
        "  --prices: CSV with a time column (ISO, with a UTC offset or Z, or local time in --market-zone, default\n" +
        "            Europe/Berlin) and a price column naming currency and unit (price_eur_mwh, price_usd_kwh,\n" +
        "            'Price (EUR/MWh)', or price + unit columns); interval 5, 15, 30 or 60 min, detected. The run's\n" +
        "            money is the file's currency, job values included.\n" +
        "  --carbon-prices: also run the governor with these carbon prices (currency per tonne CO2) added to the\n" +
        "            energy price, over the whole range (needs the carbon intensity: --carbon, else 429 g/kWh).";

    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        EvaluationRequest req;
        bool json;
        string? plot;
        try
        {
            req = Parse(args, out json, out plot);
        }
        catch (CommandLineException ex)
        {
            stderr.WriteLine($"evaluate-policy: {ex.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }

        EvaluationReport report;
        WindowTraces? traces;
        DateTime plotStart;
        try
        {
            report = EvaluationRun.Execute(req, out traces, out plotStart);
        }
        catch (InputFormatException ex)
        {
            stderr.WriteLine($"evaluate-policy: {ex.Message}");
            return 1;
        }

        foreach (string note in report.Notes)
        {
            stderr.WriteLine($"evaluate-policy: note: {note}");
        }

        if (plot is not null && traces is not null)
        {
            string title = $"{Path.GetFileName(req.Prices)}: {report.ServerCount} servers, budget {report.BudgetWatts / 1000:F2} kW";
            try
            {
                File.WriteAllText(plot, SvgPlot.Render(title, plotStart, traces, report.IntervalMinutes, report.Currency));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"evaluate-policy: {plot}: cannot write the plot: {ex.Message}");
                return 1;
            }
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, PolicyEvaluationJsonContext.Default.EvaluationReport));
        }
        else
        {
            WriteTables(stdout, report);
        }

        return 0;
    }

    private static EvaluationRequest Parse(string[] args, out bool json, out string? plot)
    {
        string? prices = null, carbon = null, demand = null, servers = null;
        string marketZone = CarbonAlignment.DefaultMarketZone;
        DateTime? from = null;
        int? days = null;
        bool byMonth = false, lca = false, physical = false;
        json = false;
        plot = null;
        var rack = new RackOptions();
        var baselines = new BaselineOptions();
        int publish = 13, maxGap = 24;
        double[] carbonPrices = [];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new CommandLineException($"{a} needs a value");
            double Number(double min, double max)
            {
                string v = Value();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= min && d <= max
                    ? d
                    : throw new CommandLineException($"{a}: '{v}' is not a number within {min}..{max}");
            }

            int WholeNumber(int min, int max)
            {
                string v = Value();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
                    ? n
                    : throw new CommandLineException($"{a}: '{v}' is not a whole number within {min}..{max}");
            }

            switch (a)
            {
                case "--prices": prices = Value(); break;
                case "--carbon": carbon = Value(); break;
                case "--carbon-lca": lca = true; break;
                case "--market-zone":
                    marketZone = Value();
                    try
                    {
                        _ = CarbonAlignment.FindZone(marketZone);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new CommandLineException($"--market-zone: {ex.Message}");
                    }

                    break;
                case "--demand": demand = Value(); break;
                case "--servers": servers = Value(); break;
                case "--from":
                    string f = Value();
                    from = DateTime.TryParseExact(f, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime dt)
                        ? dt
                        : throw new CommandLineException($"--from: '{f}' is not a date (yyyy-MM-dd)");
                    break;
                case "--days": days = WholeNumber(1, 3660); break;
                case "--by-month": byMonth = true; break;
                case "--physical": physical = true; break;
                case "--carbon-prices":
                    string list = Value();
                    carbonPrices = [.. list.Split(',').Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double cp) && cp >= 0 && cp <= 10_000
                        ? cp
                        : throw new CommandLineException($"--carbon-prices: '{x}' is not a price within 0..10000 per tonne"))];
                    if (carbonPrices.Length > 8)
                    {
                        throw new CommandLineException("--carbon-prices: at most 8 prices");
                    }

                    break;
                case "--json": json = true; break;
                case "--plot": plot = Value(); break;
                case "--budget": rack = rack with { BudgetWatts = Number(1, 1e7) }; break;
                case "--thermal": rack = rack with { ThermalLimitWatts = Number(1, 1e7) }; break;
                case "--rack-servers": rack = rack with { Servers = WholeNumber(1, 1000) }; break;
                case "--static-cap": baselines = baselines with { StaticCapWatts = Number(0, 1e5) }; break;
                case "--threshold": baselines = baselines with { ThresholdCentsPerKwh = Number(-1e4, 1e4) }; break;
                case "--publish-hour": publish = WholeNumber(0, 23); break;
                case "--max-gap-hours": maxGap = WholeNumber(0, 24 * 7); break;
                default: throw new CommandLineException($"unknown option '{a}'");
            }
        }

        if (prices is null)
        {
            throw new CommandLineException("--prices is required");
        }

        if (plot is not null)
        {
            // Checked before the evaluation (which may run for a while), written after it.
            string? dir = plot.Length == 0 || plot.Contains('\0', StringComparison.Ordinal) ? null : Path.GetDirectoryName(Path.GetFullPath(plot));
            if (dir is null || Directory.Exists(plot) || !Directory.Exists(dir))
            {
                throw new CommandLineException($"--plot: '{plot}' is not a file in an existing directory");
            }
        }

        servers ??= DefaultServers() ?? throw new CommandLineException("--servers is required (no ../shared/data/power/specpower_curves.csv beside the checkout)");
        return new EvaluationRequest
        {
            Prices = prices,
            Carbon = carbon,
            CarbonLifeCycle = lca,
            MarketZone = marketZone,
            Demand = demand,
            Servers = servers,
            From = from,
            Days = days,
            ByMonth = byMonth,
            MaxGapHours = maxGap,
            PublishHourOfDay = publish,
            Rack = rack,
            Baselines = baselines,
            Physical = physical,
            CarbonPrices = carbonPrices,
        };
    }

    /// <summary>The shipped curves beside the checkout: walks up from the working directory to EdgeGovernor.sln.</summary>
    private static string? DefaultServers()
    {
        for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeGovernor.sln")))
            {
                string p = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "data", "power", "specpower_curves.csv"));
                return File.Exists(p) ? p : null;
            }
        }

        return null;
    }

    private static void WriteTables(TextWriter w, EvaluationReport r)
    {
        string cur = r.Currency;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prices {r.Prices}; servers {r.ServerCount} from {r.Servers}; PDU budget {r.BudgetWatts:F0} W (IT {r.ItBudgetWatts:F0} W); carbon {r.Carbon ?? "429 g/kWh"}; demand {r.Demand ?? "flat 0.65"}"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"money: {cur} (the price file's currency; job values are read in it too); interval: {r.IntervalMinutes} min"));
        foreach (WindowResult win in r.Windows)
        {
            w.WriteLine();
            string exact = win.OfflineExact ? "exact" : string.Create(CultureInfo.InvariantCulture, $"upper bound; best feasible {win.OfflineFeasibleEur:F2} {cur}; certified gap {win.OfflineGap * 100:F2} %");
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"== {win.Label}: {win.From}, {win.Intervals} x {r.IntervalMinutes} min; offline optimum {win.OfflineUpperBoundEur:F2} {cur} ({exact}, {win.OfflineIterations} it.); governor {win.GovernorShareOfOptimum * 100:F2} % of it, {win.ImprovementShare * 100:F1} % of the possible improvement over the best baseline ({win.BestBaselineEur:F2} {cur}); beats baselines: {(win.GovernorBeatsBaselines ? "yes" : "NO")}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   vs always-max at equal work: {win.EnergySavedKwhAtEqualWork:F1} kWh saved, {win.Co2AvoidedKgAtEqualWork:F1} kg CO2 avoided"));
            w.WriteLine($"   {"policy",-16} {"net " + cur,10} {"energy kWh",11} {"cost " + cur,9} {"CO2 kg",9} {"work",9} {"missed",6} {"envelope",8} {"refused",7} {"cycles",6}");
            foreach (PolicyResult p in win.Policies)
            {
                string name = p.Policy == "offline-optimum" && !win.OfflineExact ? "offline-optimum*" : p.Policy;
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {name,-16} {p.NetValueEur,10:F2} {p.EnergyKwh,11:F1} {p.CostEur,9:F2} {p.Co2Kg,9:F1} {p.WorkUnits,9:F1} {p.DeadlinesMissed,6} {p.EnvelopeViolations,8} {p.RuleViolations,7} {p.PowerCycles,6}"));
            }

            if (!win.OfflineExact)
            {
                w.WriteLine("   * offline-optimum: its plan replayed within the budget; the optimum lies between the best feasible schedule (this or the governor's) and the upper bound above");
            }

            if (win.Physical is { } ph)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {ph.Policy} on the simulated rack (hal): IT {ph.ItEnergyKwh:F1} kWh from RAPL counters (model {ph.ModelItEnergyKwh:F1} kWh), peak {ph.PeakItKw:F2} kW, hottest {ph.HottestCelsius:F1} C, fans up to {ph.MaxFanRpm} RPM, {ph.PowerOns} power-ons, {ph.PowerOffs} soft offs"));
            }
        }

        if (r.CarbonTradeOff is { Count: > 0 } rows)
        {
            w.WriteLine();
            w.WriteLine($"== carbon price trade-off (governor, whole range; carbon price per tonne CO2 in {cur})");
            w.WriteLine($"   {"carbon price",12} {"cost " + cur,10} {"CO2 kg",9} {"net " + cur,10} {"net - carbon",12} {"energy kWh",11} {"work",9} {"missed",6} {"envelope",8}");
            foreach (CarbonTradeOff t in rows)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {t.CarbonPricePerTonne,12:F0} {t.EnergyCost,10:F2} {t.Co2Kg,9:F1} {t.NetValue,10:F2} {t.NetValueAfterCarbon,12:F2} {t.EnergyKwh,11:F1} {t.WorkUnits,9:F1} {t.DeadlinesMissed,6} {t.EnvelopeViolations,8}"));
            }
        }
    }
}
