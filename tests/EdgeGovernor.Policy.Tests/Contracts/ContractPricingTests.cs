using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Policy.Tests.Contracts;

public class ContractPricingTests
{
    private static LoadContract Range(double min, double max, double migration = 0.002) =>
        new(1, min, max, 10, migration, 1, 1, 0, 100);

    [Fact]
    public void The_price_splits_the_gain_and_stays_in_the_range()
    {
        Assert.True(ContractPricing.TryPrice(Range(0.01, 0.03), senderCost: 0.042, receiverCost: 0.010, hysteresis: 0.001, out double price));
        Assert.Equal(0.025, price, 9);                        // (0.040 + 0.010) / 2
        Assert.True(ContractPricing.TryPrice(Range(0.01, 0.02), 0.042, 0.010, 0.001, out price));
        Assert.Equal(0.02, price, 9);                         // clamped to the range
    }

    [Fact]
    public void No_trade_when_either_side_would_not_gain_enough()
    {
        // Sender: 0.020 - 0.002 migration leaves at most 0.017 after hysteresis; receiver needs 0.016 + 0.001.
        Assert.True(ContractPricing.TryPrice(Range(0, 1), 0.020, 0.016, 0.001, out _));
        Assert.False(ContractPricing.TryPrice(Range(0, 1), 0.020, 0.0165, 0.001, out _));
        Assert.False(ContractPricing.TryPrice(Range(0.03, 0.03), 0.020, 0.005, 0.001, out _)); // fixed price too high for the sender
        Assert.False(ContractPricing.TryPrice(Range(0.001, 0.001), 0.050, 0.005, 0.001, out _)); // too low for the receiver
        Assert.False(ContractPricing.TryPrice(Range(0, 1), 0.050, double.PositiveInfinity, 0.001, out _)); // no room
    }

    [Fact]
    public void Contracts_are_validated_and_both_copies_must_agree()
    {
        LoadContract atA = Range(0.01, 0.02);
        Assert.Null(atA.Validate());
        Assert.Contains("priceMin", (atA with { PriceMin = 0.03 }).Validate());
        Assert.Contains("maxUnitsPerHour", (atA with { MaxUnitsPerHour = 0 }).Validate());
        Assert.Contains("validFrom", (atA with { ValidFromHour = 100 }).Validate());
        Assert.Contains("migrationCostPerUnit", (atA with { MigrationCostPerUnit = double.NaN }).Validate());
        LoadContract atB = atA.Mirrored(holder: 0);
        Assert.True(atB.Matches(atA, holder: 1));
        Assert.False((atB with { PriceMax = 0.025 }).Matches(atA, holder: 1));
        Assert.True(atA.IsValidAt(0) && !atA.IsValidAt(100));
    }
}
