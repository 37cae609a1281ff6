using EdgeGovernor.Simulator.Contracts;

namespace EdgeGovernor.Simulator.Tests.Contracts;

public class FederationTests
{
    private static FederationOptions Options(int racks, int days) => new()
    {
        Racks = racks,
        Hours = 24 * days,
        Prices = RepoPaths.SharedDataFile("prices", "DE-LU_2024.csv"),
        Demand = RepoPaths.SharedDataFile("power", "google2019_cella_pdu6.csv"),
        Servers = RepoPaths.SharedDataFile("power", "specpower_curves.csv"),
    };

    [Fact]
    public void Contracts_gain_without_making_any_rack_worse_off_and_the_checkers_hold()
    {
        FederationReport r = Federation.Evaluate(Options(8, 12)); // the spike is on day 11
        Assert.Equal(12, r.Contracts);
        Assert.Equal((0, 0, 0, 0), (r.UnitsLost, r.UnitsDuplicated, r.LedgerMismatches, r.EnvelopeViolations));
        Assert.Equal(0, r.RacksWorseOff);
        Assert.True(r.NetValueContractsRange > r.NetValueNoContracts, $"range {r.NetValueContractsRange} vs none {r.NetValueNoContracts}");
        // The central planner is a greedy reference, not a proven optimum: on a short run it may end a little below
        // the contracts, but never below doing nothing.
        Assert.True(r.NetValueCentral > r.NetValueNoContracts, $"central {r.NetValueCentral} vs none {r.NetValueNoContracts}");
        Assert.True(r.OverloadedRackHoursContractsRange < r.OverloadedRackHoursNoContracts, $"{r.OverloadedRackHoursContractsRange} vs {r.OverloadedRackHoursNoContracts}");
        Assert.True(r.UnitsMoved > 0);
    }

    [Fact]
    public void Without_a_spike_or_price_room_nothing_moves()
    {
        // A price range far above any rack's energy cost per unit: no sender would pay it.
        FederationReport r = Federation.Evaluate(Options(4, 2) with { SpikeFactor = 1, ContractPrice = 5, RangeHalfWidth = 0 });
        ModeResult fixedPrice = r.Modes.Single(m => m.Mode == "FixedPrice");
        Assert.Equal(0, fixedPrice.UnitsMoved);
        Assert.Equal(r.NetValueNoContracts, r.NetValueContracts, 9);
    }
}
