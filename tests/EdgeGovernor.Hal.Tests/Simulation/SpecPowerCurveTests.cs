using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.Simulation;

/// <summary>The curve parser, on ../shared/data/power/specpower_curves.csv and on broken inputs.</summary>
public sealed class SpecPowerCurveTests
{
    private const string Header = "server,cpu,idle_w,load10_w,load20_w,load30_w,load40_w,load50_w,load60_w,load70_w,load80_w,load90_w,load100_w";

    [Fact]
    public void Loads_the_published_curves()
    {
        // Reads ../shared/data/power/specpower_curves.csv (SPECpower_ssj2008 results, 8 servers).
        IReadOnlyList<SpecPowerCurve> curves = SpecPowerCurveParser.Load(RepoPaths.SpecPowerCurves);
        Assert.Equal(8, curves.Count);
        Assert.Equal("HP ProLiant ML110 G4", curves[0].Server);
        Assert.Equal("Xeon 3040", curves[0].Cpu);
        Assert.Equal(86, curves[0].IdleWatts);
        Assert.Equal(117, curves[0].MaxWatts);
        SpecPowerCurve r620 = curves.Single(c => c.Server == "Dell PowerEdge R620");
        Assert.Equal("", r620.Cpu);
        Assert.Equal(54.1, r620.IdleWatts);
        Assert.Equal(243, r620.MaxWatts);
        Assert.Equal(2, curves.Count(c => c.Server == "IBM x3250 M3"));
    }

    [Fact]
    public void Interpolates_between_points_and_inverts()
    {
        SpecPowerCurve r620 = SpecPowerCurveParser.Load(RepoPaths.SpecPowerCurves).Single(c => c.Server == "Dell PowerEdge R620");
        Assert.Equal(54.1, r620.WattsAt(0), 9);
        Assert.Equal(126, r620.WattsAt(0.5), 9);
        Assert.Equal((126 + 143) / 2.0, r620.WattsAt(0.55), 9);
        Assert.Equal(243, r620.WattsAt(1.5), 9);
        Assert.Equal(54.1, r620.WattsAt(-1), 9);
        foreach (double u in new[] { 0.05, 0.25, 0.5, 0.73, 0.99 })
        {
            Assert.Equal(u, r620.UtilizationAt(r620.WattsAt(u)), 9);
        }

        Assert.Equal(0, r620.UtilizationAt(10));
        Assert.Equal(1, r620.UtilizationAt(500));
    }

    [Theory]
    [InlineData("", 1, "empty file")]
    [InlineData("server,cpu,idle\n", 1, "header")]
    [InlineData(Header + "\nA,B,1,2,3\n", 2, "5 fields")]
    [InlineData(Header + "\nA,B,50,60,70,80,90,100,110,120,130,140,x\n", 2, "load100_w 'x'")]
    [InlineData(Header + "\nA,B,50,60,70,80,90,100,110,120,130,140,150\nC,,50,60,70,80,90,100,110,120,130,140,-1\n", 3, "load100_w '-1'")]
    [InlineData(Header + "\nA,B,50,60,70,80,90,100,110,120,130,125,150\n", 2, "below load80_w")]
    [InlineData(Header + "\nA,B,50,60,70,80,90,100,110,120,130,140,150\n\nA,B,50,60,70,80,90,100,110,120,130,140,150\n", 4, "duplicate")]
    [InlineData(Header + "\n,B,50,60,70,80,90,100,110,120,130,140,150\n", 2, "server name is empty")]
    [InlineData(Header + "\n\"A,1\",B,50,60,70,80,90,100,110,120,130,140,150\n", 2, "quoted")]
    [InlineData(Header + "\n", 1, "no curves")]
    [InlineData(Header + "\nA,B,NaN,60,70,80,90,100,110,120,130,140,150\n", 2, "idle_w 'NaN'")]
    public void Malformed_files_fail_with_file_and_line(string text, int line, string fragment)
    {
        CurveFormatException e = Assert.Throws<CurveFormatException>(() => SpecPowerCurveParser.Parse(new StringReader(text), "curves.csv"));
        Assert.Equal("curves.csv", e.File);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"curves.csv:{line}: ", e.Message);
        Assert.Contains(fragment, e.Message);
    }
}
