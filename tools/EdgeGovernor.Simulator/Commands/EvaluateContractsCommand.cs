using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.Contracts;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Commands;

/// <summary>
/// <c>evaluate-contracts [--racks N] [--days N] [--prices csv] [--demand csv] [--servers csv] [--from yyyy-MM-dd]
/// [--price P] [--range W] [--max-units N] [--migration C] [--seed N] [--loss P] [--duplicate P] [--crash-rate P]
/// [--restart-after MIN] [--json]</c>: racks of different owners with no contracts, with bilateral contracts (a fixed
/// price, and a small range; transfers through the contract exchange over a network that loses and duplicates
/// messages, with controller crashes and restarts) and under a central planner, on the same work and prices; prints
/// their net values, the share of the central planner's gain the contracts reach, and the checkers. Exit codes: 0 done,
/// 1 bad input file or a checker failed, 2 bad arguments.
/// </summary>
internal static class EvaluateContractsCommand
{
    private const string Usage =
        "usage: evaluate-contracts [--racks N] [--days N] [--prices <csv>] [--demand <csv>] [--servers <csv>]\n" +
        "                          [--from yyyy-MM-dd] [--price P] [--range W] [--max-units N] [--migration C]\n" +
        "                          [--seed N] [--loss P] [--duplicate P] [--crash-rate P] [--restart-after MIN]\n" +
        "                          [--json]";

    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        FederationOptions options;
        bool json = false;
        try
        {
            if (args.Contains("--help") || args.Contains("-h"))
            {
                stdout.WriteLine(Usage);
                return 0;
            }
            options = Parse(args, ref json);
        }
        catch (CommandLineException ex)
        {
            stderr.WriteLine($"evaluate-contracts: {ex.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }

        FederationReport report;
        try
        {
            report = Federation.Evaluate(options);
        }
        catch (InputFormatException ex)
        {
            stderr.WriteLine($"evaluate-contracts: {ex.Message}");
            return 1;
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, ContractsJsonContext.Default.FederationReport));
        }
        else
        {
            Print(report, stdout);
        }

        bool sound = report.UnitsLost == 0 && report.UnitsDuplicated == 0 && report.LedgerMismatches == 0 && report.EnvelopeViolations == 0
            && report.TransfersUnresolved == 0;
        if (!sound)
        {
            stderr.WriteLine("evaluate-contracts: a checker failed (units lost or duplicated, ledgers disagree, a transfer unresolved, or a rack above its capacity)");
        }
        return sound ? 0 : 1;
    }

    private static void Print(FederationReport r, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"{r.Racks} racks, {r.Hours} h, {r.Contracts} bilateral contracts (money: the price series' currency)"));
        w.WriteLine("  mode          net value    energy    kWh        moved  missed  dropped  overloaded rack-h  payments  messages");
        foreach (ModeResult m in r.Modes)
        {
            w.WriteLine(string.Create(c, $"  {m.Mode,-12} {m.NetValue,10:F2} {m.EnergyCost,9:F2} {m.Kwh,10:F0} {m.UnitsMoved,8} {m.BatchMissed,7} {m.InteractiveDropped,8} {m.OverloadedRackHours,18} {m.Payments,9:F2} {m.Messages,9}"));
        }
        w.WriteLine(string.Create(c, $"gain share (contracts - none) / (central - none): fixed price {r.GainShare:F3}, small range {r.GainShareRange:F3}"));
        w.WriteLine(string.Create(c, $"racks worse off than without contracts: {r.RacksWorseOff}; overloaded rack-hours {r.OverloadedRackHoursNoContracts} -> {r.OverloadedRackHoursContracts} fixed price, {r.OverloadedRackHoursContractsRange} small range (central {r.OverloadedRackHoursCentral})"));
        w.WriteLine(string.Create(c, $"faults: loss {r.Loss:P0}, duplicates {r.Duplicate:P0}, crashes {r.CrashRate} per rack-hour ({r.Crashes} crashes, down {r.RestartAfterMinutes} min each); messages lost {r.MessagesLost}, transfers aborted {r.TransfersAborted}, unresolved {r.TransfersUnresolved}"));
        w.WriteLine(string.Create(c, $"checkers: units lost {r.UnitsLost}, run twice {r.UnitsDuplicated}, ledger mismatches {r.LedgerMismatches}, envelope violations {r.EnvelopeViolations}; messages per moved unit {r.MessagesPerMovedUnit:F3}"));
    }

    private static FederationOptions Parse(string[] args, ref bool json)
    {
        var o = new FederationOptions
        {
            Prices = DefaultData("prices", "DE-LU_2024.csv"),
            Demand = DefaultData("power", "google2019_cella_pdu6.csv"),
            Servers = DefaultData("power", "specpower_curves.csv"),
        };
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new CommandLineException($"{a} needs a value");
            int Int(int min, int max)
            {
                string v = Next();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
                    ? n : throw new CommandLineException($"{a}: '{v}' is not an integer within {min}..{max}");
            }
            double Real(double min, double max)
            {
                string v = Next();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= min && d <= max
                    ? d : throw new CommandLineException($"{a}: '{v}' is not a number within {min}..{max}");
            }
            DateTime Date()
            {
                string v = Next();
                return DateTime.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime d)
                    ? d : throw new CommandLineException($"{a}: '{v}' is not a date (yyyy-MM-dd)");
            }
            o = a switch
            {
                "--racks" => o with { Racks = Int(2, 1000) },
                "--days" => o with { Hours = 24 * Int(1, 366) },
                "--prices" => o with { Prices = Next() },
                "--demand" => o with { Demand = Next() },
                "--servers" => o with { Servers = Next() },
                "--from" => o with { From = Date() },
                "--price" => o with { ContractPrice = Real(0, 100) },
                "--range" => o with { RangeHalfWidth = Real(0, 100) },
                "--max-units" => o with { MaxUnitsPerHour = Int(1, 100_000) },
                "--migration" => o with { MigrationCostPerUnit = Real(0, 100) },
                "--seed" => o with { Seed = Int(0, int.MaxValue) },
                "--loss" => o with { Loss = Real(0, 0.9) },
                "--duplicate" => o with { Duplicate = Real(0, 0.9) },
                "--crash-rate" => o with { CrashRate = Real(0, 0.5) },
                "--restart-after" => o with { RestartAfterMinutes = Int(1, 24 * 60) },
                "--json" => SetJson(o, ref json),
                _ => throw new CommandLineException($"unknown option '{a}'"),
            };
        }
        if (o.RangeHalfWidth > o.ContractPrice)
        {
            throw new CommandLineException("--range must not exceed --price (prices stay >= 0)");
        }
        return o;
    }

    private static FederationOptions SetJson(FederationOptions o, ref bool json)
    {
        json = true;
        return o;
    }

    private static string DefaultData(string folder, string file)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            string candidate = Path.Combine(dir, "..", "shared", "data", folder, file);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
            dir = Path.GetDirectoryName(dir);
        }
        return Path.Combine("..", "shared", "data", folder, file);
    }
}
