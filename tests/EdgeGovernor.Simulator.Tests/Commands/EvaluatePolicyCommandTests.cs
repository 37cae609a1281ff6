using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.Commands;

/// <summary>The evaluate-policy command end to end, on temporary files and on the shipped data.</summary>
[Collection("console")]
public sealed class EvaluatePolicyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalpol").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data(string relative) => Path.GetFullPath(RepoPaths.SharedDataFile(relative));

    private string Write(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    private string SyntheticPrices(int days)
    {
        var lines = new List<string> { "Datetime,Price (EUR/MWh)" };
        var t = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (int i = 0; i < days * 24; i++)
        {
            int h = i % 24;
            double p = h is >= 10 and <= 15 ? -20 + i % 7 : h is >= 17 and <= 20 ? 250 + i % 11 : 80 + i % 5;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t.AddHours(i):yyyy-MM-dd HH:mm:ss},{p}"));
        }

        return Write("prices.csv", string.Join('\n', lines));
    }

    private string Servers() => Write("servers.csv",
        "server,cpu,idle_w,load10_w,load20_w,load30_w,load40_w,load50_w,load60_w,load70_w,load80_w,load90_w,load100_w\n" +
        "A,x,50,70,80,90,100,115,130,150,175,200,230\nB,y,90,95,100,104,108,112,116,120,124,128,132\n");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            return (Program.Main(["evaluate-policy", .. args]), o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void Json_and_plot_on_a_synthetic_week()
    {
        string svg = Path.Combine(_dir, "out.svg");
        (int code, string stdout, string stderr) = Run("--prices", SyntheticPrices(7), "--servers", Servers(), "--rack-servers", "12", "--json", "--plot", svg);
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement win = doc.RootElement.GetProperty("windows")[0];
        Assert.Equal("all", win.GetProperty("label").GetString());
        Assert.Equal(168, win.GetProperty("intervals").GetInt32());
        Assert.Equal("EUR", doc.RootElement.GetProperty("currency").GetString());
        Assert.Equal(60, doc.RootElement.GetProperty("intervalMinutes").GetInt32());
        Assert.InRange(win.GetProperty("offlineGap").GetDouble(), 0, 1);
        string[] names = win.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("policy").GetString()!).ToArray();
        Assert.Equal(["governor", "always-max", "static-cap", "price-threshold", "offline-optimum"], names);
        JsonElement gov = win.GetProperty("policies")[0];
        Assert.Equal(0, gov.GetProperty("envelopeViolations").GetInt32());
        Assert.Equal(0, gov.GetProperty("deadlinesMissed").GetInt32());
        Assert.True(win.GetProperty("governorShareOfOptimum").GetDouble() <= 1 + 1e-9);
        string plot = File.ReadAllText(svg);
        Assert.StartsWith("<svg", plot, StringComparison.Ordinal);
        Assert.Equal(1 + 5 + 5, plot.Split("<polyline").Length - 1);
        Assert.Contains("cumulative net value", plot, StringComparison.Ordinal);
    }

    [Fact]
    public void Physical_replays_the_governor_on_the_hal_simulated_rack()
    {
        (int code, string stdout, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--rack-servers", "6", "--json", "--physical");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement win = doc.RootElement.GetProperty("windows")[0];
        JsonElement gov = win.GetProperty("policies")[0];
        JsonElement ph = win.GetProperty("physical");
        Assert.Equal("governor", ph.GetProperty("policy").GetString());
        double model = ph.GetProperty("modelItEnergyKwh").GetDouble();
        double measured = ph.GetProperty("itEnergyKwh").GetDouble();
        Assert.True(model > 0);
        // The rack's RAPL counters measure what the hourly model booked, within the physics it leaves out
        // (boot and shutdown profiles, standby power of servers that are off, thermal lag).
        Assert.True(Math.Abs(measured - model) <= 0.15 * model, $"RAPL {measured:F2} kWh vs model {model:F2} kWh");
        Assert.True(ph.GetProperty("peakItKw").GetDouble() * 1000 <= doc.RootElement.GetProperty("itBudgetWatts").GetDouble() * 1.05);
        Assert.InRange(ph.GetProperty("hottestCelsius").GetDouble(), 25, 90);
        Assert.True(ph.GetProperty("maxFanRpm").GetInt32() > 0);
        int cycles = gov.GetProperty("powerCycles").GetInt32();
        int offs = ph.GetProperty("powerOffs").GetInt32();
        Assert.InRange(offs, Math.Max(0, cycles - 6), cycles); // an off in the very last hour is not replayed
        Assert.Equal(0, ph.GetProperty("sensorFailures").GetInt64());

        (code, stdout, stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--rack-servers", "6", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument without = JsonDocument.Parse(stdout);
        Assert.False(without.RootElement.GetProperty("windows")[0].TryGetProperty("physical", out _));
    }

    [Fact]
    public void Text_tables_by_month()
    {
        (int code, string stdout, string stderr) = Run("--prices", SyntheticPrices(40), "--servers", Servers(), "--rack-servers", "6", "--from", "2024-05-20", "--days", "14", "--by-month");
        Assert.True(code == 0, stderr);
        Assert.Contains("== 2024-05: 2024-05-20 00:00, 288 x 60 min", stdout, StringComparison.Ordinal);
        Assert.Contains("== 2024-06: 2024-06-01 00:00, 48 x 60 min", stdout, StringComparison.Ordinal);
        Assert.Contains("== all: 2024-05-20 00:00, 336 x 60 min", stdout, StringComparison.Ordinal);
        Assert.Contains("offline-optimum", stdout, StringComparison.Ordinal);

        // Each window labels its offline figure: exact, or an upper bound with the replayed plan starred.
        foreach (string window in stdout.Split("== ")[1..])
        {
            bool bound = window.Contains("(upper bound; best feasible", StringComparison.Ordinal);
            Assert.True(bound || window.Contains("(exact,", StringComparison.Ordinal), window);
            Assert.Equal(bound, window.Contains("certified gap", StringComparison.Ordinal));
            Assert.Equal(bound, window.Contains("   offline-optimum* ", StringComparison.Ordinal));
            Assert.Equal(bound, window.Contains("* offline-optimum: its plan replayed within the budget", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Under_a_tight_budget_the_governor_still_meets_every_deadline()
    {
        // 6 servers, IT budget 714 W: the two batch servers cannot run at once, and each one's own plan waits for
        // the same cheap hours (after powering off through the evening peak). The deadline guard boots and runs
        // them early enough; without it 4 of the 4 jobs due in the window were missed.
        (int code, string stdout, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--rack-servers", "6", "--budget", "900", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement gov = doc.RootElement.GetProperty("windows")[0].GetProperty("policies")[0];
        Assert.Equal("governor", gov.GetProperty("policy").GetString());
        Assert.Equal(0, gov.GetProperty("deadlinesMissed").GetInt32());
        Assert.Equal(0, gov.GetProperty("envelopeViolations").GetInt32());
        Assert.Equal(0, gov.GetProperty("ruleViolations").GetInt32());
        Assert.True(gov.GetProperty("deferrableUnits").GetDouble() >= 2 * 2 * 8); // two jobs of 8 h per batch server fell due
    }

    [Theory]
    [InlineData("900")]    // the budget binds: an upper bound
    [InlineData("100000")] // it never binds: exact
    public void The_offline_figure_is_labelled_exact_or_upper_bound(string budget)
    {
        (int code, string stdout, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--rack-servers", "6", "--budget", budget);
        Assert.True(code == 0, stderr);
        bool bound = budget == "900";
        Assert.Equal(bound, stdout.Contains("(upper bound; best feasible", StringComparison.Ordinal));
        Assert.Equal(!bound, stdout.Contains("(exact,", StringComparison.Ordinal));
        Assert.Equal(bound, stdout.Contains("   offline-optimum* ", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_input_exits_1_naming_file_and_line()
    {
        string bad = Write("bad.csv", "Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,x\n");
        (int code, _, string stderr) = Run("--prices", bad, "--servers", Servers());
        Assert.Equal(1, code);
        Assert.Contains($"{bad}:3: unparsable value 'x'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_file_exits_1_naming_it()
    {
        string missing = Path.Combine(_dir, "missing.csv");
        (int code, string stdout, string stderr) = Run("--prices", missing, "--servers", Servers());
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith($"evaluate-policy: {missing}: cannot read: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--servers", "x.csv")]
    [InlineData("--prices", "p.csv", "--days", "zero")]
    [InlineData("--prices", "p.csv", "--from", "31.01.2024")]
    [InlineData("--prices", "p.csv", "--days", "0")]
    [InlineData("--prices", "p.csv", "--days", "-3")]
    [InlineData("--prices", "p.csv", "--days", "1.5")]
    [InlineData("--prices", "p.csv", "--rack-servers", "2.5")]
    [InlineData("--prices", "p.csv", "--plot", "/nonexistent-dir/x.svg")]
    [InlineData("--prices", "p.csv", "--plot", "/tmp")]
    [InlineData("--prices", "p.csv", "--wat")]
    [InlineData("--prices")]
    public void Bad_arguments_exit_2(params string[] args) => Assert.Equal(2, Run(args).Code);

    [Fact]
    public void A_carbon_series_that_does_not_cover_the_window_is_an_error()
    {
        string carbon = Write("carbon.csv", "Datetime (UTC),Carbon Intensity gCO2eq/kWh (direct)\n2024-05-01 00:00:00,100\n2024-05-01 01:00:00,110\n");
        (int code, _, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--carbon", carbon);
        Assert.Equal(1, code);
        // Local 2024-05-01 00:00 (CEST) is 2024-04-30 22:00 UTC: two hours before the series are filled; local 06:00
        // is 04:00 UTC, three hours after its end.
        Assert.Contains($"{carbon}: carbon series (2024-05-01 00:00 .. 2024-05-01 01:00 UTC) does not cover 2024-05-01 04:00 UTC: it must cover every evaluated interval", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utc_carbon_series_is_aligned_to_market_time_and_a_missing_edge_hour_is_filled_with_a_note()
    {
        // SyntheticPrices: 2024-05-01 00:00 .. 05-03 23:00 local (CEST) = 2024-04-30 22:00 .. 05-03 21:00 UTC.
        var t = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Unspecified);
        string carbon = Write("carbon.csv", "Datetime (UTC),Carbon Intensity gCO2eq/kWh (direct)\n" +
            string.Concat(Enumerable.Range(0, 70).Select(i => $"{t.AddHours(i):yyyy-MM-dd HH:mm:ss},{100 + i}\n")));
        (int code, _, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--carbon", carbon);
        Assert.Equal(0, code);
        Assert.Contains($"evaluate-policy: note: {carbon}: filled 120 min before the start of the carbon series (2024-05-01 00:00 UTC) with its first value", stderr, StringComparison.Ordinal);

        (code, _, stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--carbon", carbon, "--market-zone", "Europe/London");
        Assert.Equal(0, code);
        Assert.Contains($"{carbon}: filled 60 min before the start of the carbon series (2024-05-01 00:00 UTC)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CEST+1")]
    public void An_unknown_market_zone_is_a_bad_argument(string zone)
    {
        (int code, string stdout, string stderr) = Run("--prices", "p.csv", "--market-zone", zone);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith($"evaluate-policy: --market-zone: '{zone}' is not a known time zone (an IANA id such as Europe/Berlin; the zones come from tzdata){Environment.NewLine}usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_outside_the_series_is_an_error()
    {
        (int code, _, string stderr) = Run("--prices", SyntheticPrices(3), "--servers", Servers(), "--from", "2024-06-01");
        Assert.Equal(1, code);
        Assert.Contains("outside the series", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_week_of_de_lu_2024_governor_within_3_percent_of_the_optimum()
    {
        // Reads ../shared/data/prices/DE-LU_2024.csv, carbon/DE-LU_2024_hourly.csv, power/google2019_cella_pdu6.csv
        // and power/specpower_curves.csv.
        EvaluationReport r = EvaluationRun.Execute(new EvaluationRequest
        {
            Prices = Data("prices/DE-LU_2024.csv"),
            Carbon = Data("carbon/DE-LU_2024_hourly.csv"),
            Demand = Data("power/google2019_cella_pdu6.csv"),
            Servers = Data("power/specpower_curves.csv"),
            From = new DateTime(2024, 1, 29, 0, 0, 0, DateTimeKind.Unspecified),
            Days = 7,
        }, out _, out _);
        // The file has 24 rows every day: the spring-forward hour is dropped, the autumn hour serves both passes.
        Assert.Equal(3, r.Notes.Count);
        Assert.Contains(r.Notes, n => n.Contains("DE-LU_2024.csv:722: filled a gap of 1440 min before 2024-01-31 23:00 UTC", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.Contains("DE-LU_2024.csv:2140: 2024-03-31 02:00 does not exist in Europe/Berlin", StringComparison.Ordinal));
        WindowResult w = Assert.Single(r.Windows);
        PolicyResult gov = w.Policies[0];
        Assert.True(w.GovernorShareOfOptimum >= 0.97, $"governor at {w.GovernorShareOfOptimum:P2} of the optimum");
        Assert.True(w.GovernorBeatsBaselines);
        Assert.Equal(0, gov.EnvelopeViolations);
        Assert.Equal(0, gov.RuleViolations);
        Assert.Equal(0, gov.DeadlinesMissed);
        Assert.True(w.EnergySavedKwhAtEqualWork > 0);
        Assert.True(w.OfflineFeasibleEur <= w.OfflineUpperBoundEur + 1e-9);
    }

    [Fact]
    public void A_quarter_hourly_usd_series_with_offsets_runs_at_15_minutes_in_usd()
    {
        var lines = new List<string> { "time,price_usd_mwh" };
        var t = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.FromHours(-5));
        for (int i = 0; i < 2 * 96; i++)
        {
            int h = (i / 4) % 24;
            double p = h is >= 10 and <= 15 ? -20 + (i % 7) : h is >= 17 and <= 20 ? 250 + (i % 11) : 80 + (i % 5);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t.AddMinutes(15 * i):yyyy-MM-ddTHH:mm:sszzz},{p}"));
        }

        string prices = Write("us.csv", string.Join('\n', lines));
        (int code, string stdout, string stderr) = Run("--prices", prices, "--servers", Servers(), "--rack-servers", "6", "--market-zone", "America/Chicago", "--carbon-prices", "0,200");
        Assert.True(code == 0, stderr);
        Assert.Contains("money: USD", stdout, StringComparison.Ordinal);
        Assert.Contains("interval: 15 min", stdout, StringComparison.Ordinal);
        Assert.Contains("192 x 15 min", stdout, StringComparison.Ordinal);
        Assert.Contains("net USD", stdout, StringComparison.Ordinal);
        Assert.Contains("== carbon price trade-off", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("EUR", stdout, StringComparison.Ordinal);
    }
}
