using EdgeGovernor.Firmware.Demo;

namespace EdgeGovernor.Firmware.Tests.Demo;

/// <summary><see cref="PriceResponseStatistics"/>: the interactive cap at the highest and at the lowest price seen.</summary>
public sealed class PriceResponseStatisticsTests
{
    [Fact]
    public void Nothing_is_known_before_the_first_observation()
    {
        var stats = new PriceResponseStatistics();
        Assert.True(double.IsNaN(stats.PeakPriceCt));
        Assert.True(double.IsNaN(stats.CheapestPriceCt));
        Assert.Equal(0, stats.InteractiveCapAtPeakWatts);
        Assert.Equal(0, stats.InteractiveCapAtCheapestWatts);
    }

    [Fact]
    public void The_peak_and_the_cheapest_price_keep_the_cap_in_force_with_them_the_later_of_equal_prices_winning()
    {
        var stats = new PriceResponseStatistics();
        stats.Observe(10, 250);
        Assert.Equal((10.0, 250.0, 10.0, 250.0), (stats.PeakPriceCt, stats.InteractiveCapAtPeakWatts, stats.CheapestPriceCt, stats.InteractiveCapAtCheapestWatts));

        stats.Observe(40, 170);   // new peak
        stats.Observe(-2, 300);   // new cheapest (negative)
        stats.Observe(20, 222);   // neither
        Assert.Equal((40.0, 170.0, -2.0, 300.0), (stats.PeakPriceCt, stats.InteractiveCapAtPeakWatts, stats.CheapestPriceCt, stats.InteractiveCapAtCheapestWatts));

        stats.Observe(40, 160);   // equal to the peak: the later wins
        stats.Observe(-2, 310);
        Assert.Equal((40.0, 160.0, -2.0, 310.0), (stats.PeakPriceCt, stats.InteractiveCapAtPeakWatts, stats.CheapestPriceCt, stats.InteractiveCapAtCheapestWatts));
    }
}
