using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy.Tests.Planning;

/// <summary>The price of drawing power where the budget binds, checked by hand.</summary>
public class CongestionForecastTests
{
    // Two CPU-bound interactive servers 100..200 W at demand 1 (work 0..1 costs 100 W more): "hi" is worth
    // 0.05 EUR/unit, i.e. 5e-4 EUR/Wh (50 c/kWh), "lo" 0.03 EUR/unit, 3e-4 EUR/Wh; a deferrable server idles at 100 W.
    // Floors 3 x 100 W; the supply curve above them: 100 W at 5e-4, then 100 W at 3e-4 EUR/Wh.
    private static RackSpec Rack()
    {
        PowerCurve linear = TestRacks.Linear(100, 200);
        JobClass hi = JobClass.Interactive("hi", 0.05, 1);
        JobClass lo = JobClass.Interactive("lo", 0.03, 1);
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 4);
        return TestRacks.Rack([TestRacks.Server("a", linear, 0), TestRacks.Server("b", linear, 1), TestRacks.Server("c", linear, 2)], [hi, lo, batch], 1000);
    }

    [Theory]
    // Price 1e-4 EUR/Wh (10 c/kWh), 100 W more:
    [InlineData(150, 3e-4)]   // band 50..150 W: 50 W of hi (4e-4 over the price) + 50 W of lo (2e-4): 0.03 EUR / 100 W
    [InlineData(250, 1e-4)]   // band 150..250 W: 50 W of lo, then nothing interactive wants: 0.01 EUR / 100 W
    [InlineData(300, 0)]      // band 200..300 W: above what interactive work wants
    [InlineData(50, 4e-4)]    // band -50..50 W: the floors do not fit; below 0 priced at the top density (hi), then 50 W of hi
    public void A_band_of_power_is_priced_at_the_interactive_value_it_displaces(double headroom, double expected)
    {
        var f = new CongestionForecast(3);
        f.Build(Rack(), [new(true, 5, 0, 1), new(true, 5, 0, 1), new(true, 5, 0, 0)]);
        Assert.Equal(300, f.FloorWatts, 9);
        Assert.Equal(expected, f.ExtraEurPerWh(1e-4, headroom, 100), 12);
    }

    [Fact]
    public void Segments_worth_less_than_the_price_and_servers_that_are_down_cost_nothing()
    {
        var f = new CongestionForecast(3);
        f.Build(Rack(), [new(true, 5, 0, 1), new(false, 5, 0, 1), new(true, 5, 0, 0)]);
        Assert.Equal(200, f.FloorWatts, 9);
        // Only hi is up: band 50..150 W at price 1e-4 displaces 50 W of hi.
        Assert.Equal(50 * 4e-4 / 100, f.ExtraEurPerWh(1e-4, 150, 100), 12);
        // At 4e-4 EUR/Wh (40 c/kWh) lo would not run anyway; at 5e-4 nothing does.
        f.Build(Rack(), [new(true, 5, 0, 1), new(true, 5, 0, 1), new(true, 5, 0, 0)]);
        Assert.Equal(50 * 1e-4 / 100, f.ExtraEurPerWh(4e-4, 150, 100), 12);
        Assert.Equal(0, f.ExtraEurPerWh(5e-4, 50, 100), 12);
        Assert.Equal(0, f.ExtraEurPerWh(1e-4, 150, 0), 12);
    }
}
