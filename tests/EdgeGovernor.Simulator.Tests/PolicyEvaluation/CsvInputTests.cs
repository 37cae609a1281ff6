using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.PolicyEvaluation;

public class CsvInputTests
{
    private static string Prices(int hours, string header = "Datetime,Price (EUR/MWh)", int skipFrom = -1, int skipCount = 0)
    {
        var lines = new List<string> { header };
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (int i = 0; i < hours; i++)
        {
            if (i >= skipFrom && i < skipFrom + skipCount)
            {
                continue;
            }

            lines.Add($"{t.AddHours(i):yyyy-MM-dd HH:mm:ss},{(i % 5) - 1}.5");
        }

        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void Prices_in_eur_per_mwh_become_cents_per_kwh()
    {
        HourlySeries s = HourlySeries.ReadPrices("p.csv", Prices(30));
        Assert.Equal(30, s.Values.Length);
        Assert.Equal(-0.15, s.Values[0], 12); // "-1.5" EUR/MWh
        Assert.Equal(0.35, s.Values[4], 12);
        Assert.Empty(s.Notes);
        Assert.Equal(new DateTime(2024, 1, 1, 5, 0, 0, DateTimeKind.Unspecified), s.TimeOf(5));
    }

    [Theory]
    [InlineData("Datetime,Price (c/kWh)", 1.0)]
    [InlineData("Datetime,Price (EUR/kWh)", 100.0)]
    public void Other_price_units_are_converted(string header, double factor) =>
        Assert.Equal(-1.5 * factor, HourlySeries.ReadPrices("p.csv", Prices(3, header)).Values[0], 9);

    [Fact]
    public void A_day_long_gap_is_filled_from_the_day_before_and_reported_with_its_line()
    {
        HourlySeries s = HourlySeries.ReadPrices("p.csv", Prices(96, skipFrom: 48, skipCount: 24));
        Assert.Equal(96, s.Values.Length);
        Assert.Equal(s.Values[30], s.Values[54]);
        string note = Assert.Single(s.Notes);
        Assert.StartsWith("p.csv:50: filled a gap of 24 h", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Datetime,Cost (EUR/MWh)\n2024-01-01 00:00:00,1\n", 1, "missing column 'Price (EUR/MWh)'")]
    [InlineData("When,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n", 1, "missing column 'Datetime'")]
    [InlineData("Datetime,Price (USD/MWh)\n2024-01-01 00:00:00,1\n", 1, "unknown price unit 'USD/MWh'")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,abc\n", 3, "unparsable value 'abc'")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n01/01/2024 01:00,2\n", 3, "unparsable timestamp")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 00:15:00,2\n", 3, "not on the hour")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,2\n2024-01-01 01:00:00,3\n", 4, "repeated or backwards hour")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 03:00:00,2\n", 3, "within the first day")]
    [InlineData("Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00\n", 3, "expected at least 2 columns")]
    [InlineData("", 1, "empty file")]
    [InlineData("Datetime,Price (EUR/MWh)\n", 0, "no data rows")]
    public void Bad_price_files_name_file_line_and_problem(string text, int line, string problem)
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => HourlySeries.ReadPrices("bad.csv", text));
        Assert.Equal("bad.csv", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith(line > 0 ? $"bad.csv:{line}: " : "bad.csv: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Daylight_saving_quirks_of_eu_local_time_are_handled_and_reported()
    {
        // Local time (CET/CEST) around both changes of 2024: 02:00 of 31 March is missing, 02:00 of 27 October
        // is written twice (10 and 30 EUR/MWh).
        var lines = new List<string> { "Datetime,Price (EUR/MWh)" };
        void Day(DateTime day, Func<int, IEnumerable<(int Hour, double Price)>> hours) =>
            lines.AddRange(hours(day.Day).Select(x => $"{day.AddHours(x.Hour):yyyy-MM-dd HH:mm:ss},{x.Price}"));
        IEnumerable<(int, double)> Normal(int d) => Enumerable.Range(0, 24).Select(h => (h, (double)(d + h)));
        Day(new DateTime(2024, 3, 30, 0, 0, 0, DateTimeKind.Unspecified), Normal);
        Day(new DateTime(2024, 3, 31, 0, 0, 0, DateTimeKind.Unspecified), d => Normal(d).Where(x => x.Item1 != 2));
        HourlySeries spring = HourlySeries.ReadPrices("spring.csv", string.Join('\n', lines));
        Assert.Equal(48, spring.Values.Length);
        Assert.Equal(spring.Values[2], spring.Values[26]);
        Assert.StartsWith("spring.csv:28: filled a gap of 1 h before 2024-03-31 03:00", Assert.Single(spring.Notes), StringComparison.Ordinal);

        lines.RemoveRange(1, lines.Count - 1);
        Day(new DateTime(2024, 10, 27, 0, 0, 0, DateTimeKind.Unspecified), d => Normal(d).Take(2).Append((2, 10)).Append((2, 30)).Concat(Normal(d).Skip(3)));
        HourlySeries autumn = HourlySeries.ReadPrices("autumn.csv", string.Join('\n', lines));
        Assert.Equal(24, autumn.Values.Length);
        Assert.Equal(2.0, autumn.Values[2], 12);  // (10 + 30) / 2 EUR/MWh = 2 c/kWh
        Assert.Equal(new DateTime(2024, 10, 27, 3, 0, 0, DateTimeKind.Unspecified), autumn.TimeOf(3));
        Assert.StartsWith("autumn.csv:5: merged the hour 2024-10-27 02:00 written twice", Assert.Single(autumn.Notes), StringComparison.Ordinal);

        // A third 02:00, or a doubled hour on any other day, is still an error.
        lines.Insert(5, "2024-10-27 02:00:00,50");
        InputFormatException ex = Assert.Throws<InputFormatException>(() => HourlySeries.ReadPrices("autumn.csv", string.Join('\n', lines)));
        Assert.Equal(6, ex.Line);
        Assert.Contains("repeated or backwards hour", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_longer_than_allowed_is_an_error()
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => HourlySeries.ReadPrices("p.csv", Prices(120, skipFrom: 48, skipCount: 30)));
        Assert.Equal(50, ex.Line);
        Assert.Contains("gap of 30 h", ex.Problem, StringComparison.Ordinal);
        Assert.Throws<InputFormatException>(() => HourlySeries.ReadPrices("p.csv", Prices(96, skipFrom: 48, skipCount: 2), maxGapHours: 0));
    }

    [Fact]
    public void Carbon_reads_the_direct_or_life_cycle_column()
    {
        const string text = "Datetime (UTC),Country,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA)\n2024-01-01 00:00:00,Germany,133.1,177.74\n2024-01-01 01:00:00,Germany,134.17,179.08\n";
        Assert.Equal(133.1, HourlySeries.ReadCarbon("c.csv", text).Values[0], 9);
        Assert.Equal(179.08, HourlySeries.ReadCarbon("c.csv", text, lifeCycle: true).Values[1], 9);
        InputFormatException ex = Assert.Throws<InputFormatException>(() => HourlySeries.ReadCarbon("c.csv", "Datetime (UTC),Carbon Intensity kgCO2/MWh (direct)\n2024-01-01 00:00:00,1\n"));
        Assert.Contains("unknown carbon unit", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Demand_trace_is_averaged_per_hour_and_mapped_onto_the_range()
    {
        var lines = new List<string> { "index,time,pdu,measured_power_util" };
        for (int i = 0; i < 36; i++)
        {
            lines.Add($"{i},{600_000_000L + (i * 300_000_000L)},pdu6,{(i < 12 ? 0.6 : i < 24 ? 0.7 : 0.8)}");
        }

        double[] d = DemandTrace.Parse("d.csv", string.Join('\n', lines), 0.4, 0.9);
        Assert.Equal([0.4, 0.65, 0.9], d.Select(x => Math.Round(x, 9)).ToArray());
        Assert.Equal([0.9, 0.4], DemandTrace.Repeat(d, 2, 2));
    }

    [Theory]
    [InlineData("index,time,pdu,util\n0,1,p,0.5\n", 1, "missing column 'measured_power_util'")]
    [InlineData("index,time,pdu,measured_power_util\n0,600000000,p,0.5\n1,500000000,p,0.5\n", 3, "does not follow")]
    [InlineData("index,time,pdu,measured_power_util\n0,600000000,p,0.5\n1,9000000000,p,0.5\n", 3, "gap of")]
    [InlineData("index,time,pdu,measured_power_util\n0,600000000,p,x\n", 2, "utilisation 'x'")]
    [InlineData("index,time,pdu,measured_power_util\n0,-5,p,0.5\n", 2, "unparsable time")]
    public void Bad_demand_files_name_file_line_and_problem(string text, int line, string problem)
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => DemandTrace.Parse("d.csv", text));
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    private const string CurveHeader = "server,cpu,idle_w,load10_w,load20_w,load30_w,load40_w,load50_w,load60_w,load70_w,load80_w,load90_w,load100_w";

    [Fact]
    public void Server_rows_build_a_rack_with_roles_in_turn()
    {
        string text = CurveHeader + "\nA,x,50,60,70,80,90,100,110,120,130,140,150\nB,,40,50,60,70,80,90,100,110,120,130,140\n";
        IReadOnlyList<ServerRow> rows = ServerCatalog.Parse("s.csv", text);
        Assert.Equal("A (x)", rows[0].Name);
        var rack = RackFactory.Build(rows, new RackOptions { Servers = 12 }, "s.csv");
        Assert.Equal(12, rack.Servers.Count);
        Assert.True(rack.Servers[0].Protected);
        Assert.False(rack.Servers[1].Protected);
        Assert.True(rack.Economics(2).Class.Deferrable);
        Assert.Equal(6, rack.GroupCount);
        Assert.Equal(0.8 * (6 * 150 + 6 * 140) * 1.05 + 150, rack.BudgetWatts, 9);
    }

    [Fact]
    public void Optional_server_columns_override_the_defaults()
    {
        string text = CurveHeader + ",count,class,protected,boot_wh\nA,x,50,60,70,80,90,100,110,120,130,140,150,3,batch,false,40\n";
        var rack = RackFactory.Build(ServerCatalog.Parse("s.csv", text), new RackOptions(), "s.csv");
        Assert.Equal(3, rack.Servers.Count);
        Assert.All(rack.Servers, s => Assert.Equal(40, s.BootEnergyWh));
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(rack.Economics(i).Class.Deferrable));
    }

    [Theory]
    [InlineData(CurveHeader + "\nA,x,50,60,70,80,90,100,110,120,130,140,abc\n", 2, "unparsable watts 'abc'")]
    [InlineData(CurveHeader + "\nA,x,50,60,70,80,90,100,110,120,130,140,100\n", 2, "must not fall with load")]
    [InlineData("server,cpu,idle_w,load10_w\nA,x,1,2\n", 1, "missing column 'load20_w'")]
    [InlineData(CurveHeader + ",peak_kw\nA,x,50,60,70,80,90,100,110,120,130,140,150,1\n", 1, "unknown unit in column 'peak_kw'")]
    [InlineData("server,cpu,idle_kw,load10_w\nA,x,1,2\n", 1, "unknown unit in column 'idle_kw'")]
    [InlineData(CurveHeader + ",class\nA,x,50,60,70,80,90,100,110,120,130,140,150,gpu\n", 2, "unknown class 'gpu'")]
    [InlineData(CurveHeader + ",boot_s\nA,x,50,60,70,80,90,100,110,120,130,140,150,7200\n", 2, "boot time")]
    [InlineData(CurveHeader + "\nA,x,50,60\n", 2, "expected at least 13 columns")]
    public void Bad_server_files_name_file_line_and_problem(string text, int line, string problem)
    {
        InputFormatException ex = Assert.Throws<InputFormatException>(() => RackFactory.Build(ServerCatalog.Parse("s.csv", text), new RackOptions(), "s.csv"));
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }
}
