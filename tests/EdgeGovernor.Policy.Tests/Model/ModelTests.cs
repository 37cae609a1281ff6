using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Policy.Tests.Model;

public class ModelTests
{
    [Fact]
    public void Hull_drops_points_above_the_lower_convex_envelope()
    {
        // HP ProLiant ML110 G4 as published: 99.5 -> 102 -> 106 is concave at 40..60 %.
        var c = new PowerCurve([86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117]);
        ReadOnlySpan<double> load = c.HullLoad;
        ReadOnlySpan<double> watts = c.HullWatts;
        for (int k = 2; k < load.Length; k++)
        {
            double s1 = (watts[k - 1] - watts[k - 2]) / (load[k - 1] - load[k - 2]);
            double s2 = (watts[k] - watts[k - 1]) / (load[k] - load[k - 1]);
            Assert.True(s2 > s1 - 1e-9, $"hull not convex at vertex {k}");
        }

        for (int i = 0; i < PowerCurve.PointCount; i++)
        {
            Assert.True(c.HullPower(i / 10.0) <= c[i] + 1e-9);
        }

        Assert.Equal(86, c.HullPower(0));
        Assert.Equal(117, c.HullPower(1));
        Assert.Equal(0.5, c.HullLoadAt(c.HullPower(0.5)), 9);
    }

    [Theory]
    [InlineData(new double[] { 1, 2, 3 })]
    [InlineData(new double[] { 100, 90, 110, 120, 130, 140, 150, 160, 170, 180, 190 })]
    [InlineData(new double[] { 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100 })]
    [InlineData(new double[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 })]
    public void Bad_curves_are_rejected(double[] watts) =>
        Assert.Throws<ArgumentException>(() => new PowerCurve(watts));

    [Fact]
    public void Sensitivity_maps_load_to_work()
    {
        PowerCurve c = TestRacks.Linear(100, 200);
        var io = new ServerEconomics(TestRacks.Server("s", c, 0), JobClass.Interactive("io", 0.01, 0.2));
        // Up to 80 % of throughput needs only idle power; the rest scales with load.
        Assert.Equal(100, io.PowerForWork(0.8), 9);
        Assert.Equal(150, io.PowerForWork(0.9), 9);
        Assert.Equal(0.9, io.WorkAtCap(150), 9);

        var cpu = new ServerEconomics(TestRacks.Server("s", c, 0), JobClass.Interactive("cpu", 0.01, 1));
        Assert.Equal(150, cpu.PowerForWork(0.5), 9);
        Assert.Equal(1, cpu.MaxWork, 9);
        Assert.Equal(1, cpu.SlotWork, 9);
    }

    [Fact]
    public void Best_interactive_work_is_where_marginal_value_meets_the_price()
    {
        // Convex curve: 10 W per 10 % up to 50 %, then 30 W per 10 %.
        var c = new PowerCurve([100, 110, 120, 130, 140, 150, 180, 210, 240, 270, 300]);
        var e = new ServerEconomics(TestRacks.Server("s", c, 0), JobClass.Interactive("cpu", 0.05, 1));
        // Marginal value: 0.05 EUR per unit = 0.05 EUR per 100 W-h (first half) or per 300 Wh (second half).
        // At 0.0002 EUR/Wh (20 c/kWh): first half pays (0.0005/Wh), second half does not (0.000167/Wh).
        Assert.Equal(0.5, e.BestInteractiveWork(1, 0.0002, out double v1), 9);
        Assert.Equal((0.05 * 0.5) - (0.0002 * 150), v1, 12);
        // At 10 c/kWh everything pays; demand 0.7 limits the work.
        Assert.Equal(0.7, e.BestInteractiveWork(0.7, 0.0001, out _), 9);
        // At a negative price the server runs as far as demand goes.
        Assert.Equal(1, e.BestInteractiveWork(1, -0.0001, out _), 9);
        // At 60 c/kWh nothing above idle pays.
        Assert.Equal(0, e.BestInteractiveWork(1, 0.0006, out _), 9);
    }

    [Fact]
    public void A_budget_that_cannot_hold_every_floor_is_rejected()
    {
        PowerCurve c = TestRacks.Linear(100, 200);
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        var ex = Assert.Throws<ArgumentException>(() => TestRacks.Rack([TestRacks.Server("a", c, 0), TestRacks.Server("b", c, 0)], [web], 150));
        Assert.Contains("floor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_and_class_validation_names_the_field()
    {
        PowerCurve c = TestRacks.Linear(100, 200);
        Assert.Contains("boot time", Assert.Throws<ArgumentException>(() => (TestRacks.Server("a", c, 0) with { BootSeconds = 4000 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("cap range", Assert.Throws<ArgumentException>(() => (TestRacks.Server("a", c, 0) with { CapMinWatts = 150, CapMaxWatts = 120 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("daily slots", Assert.Throws<ArgumentException>(() => TestRacks.Batch(0.01, 5, 0, 4).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("sensitivity", Assert.Throws<ArgumentException>(() => JobClass.Interactive("x", 0.01, 1.5).Validate()).Message, StringComparison.Ordinal);
    }
}
