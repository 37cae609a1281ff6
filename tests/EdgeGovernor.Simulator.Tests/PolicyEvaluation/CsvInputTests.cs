using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.PolicyEvaluation;

public class CsvInputTests
{
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
