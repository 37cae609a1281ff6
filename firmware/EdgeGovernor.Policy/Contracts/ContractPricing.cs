namespace EdgeGovernor.Policy.Contracts;

/// <summary>
/// The price rule for one unit under a contract (Medusa's run-time rule, with the surplus split): the sender moves a
/// unit when what the unit costs it (its marginal cost: energy at its operating point × price in force, or the value
/// it would lose when it cannot run the unit before its deadline) exceeds the payment plus the migration cost; the
/// receiver takes it while its own marginal cost of one more unit stays below the payment. Within the contract's
/// range the price is the midpoint of the two reservation prices (sender's cost less migration, receiver's cost),
/// clamped to the range, so both sides keep a share of the gain. Both must gain at least
/// <c>hysteresis</c> per unit, which keeps marginal trades (and load flapping between two racks whose costs are
/// nearly equal) from happening at all.
/// </summary>
public static class ContractPricing
{
    /// <summary>
    /// The price of one unit, or false when no price in the contract's range leaves both sides at least
    /// <paramref name="hysteresis"/> better off.
    /// </summary>
    /// <param name="contract">The contract (either side's copy: prices and migration cost are the same).</param>
    /// <param name="senderCost">What the unit would cost the sender to keep (money per unit).</param>
    /// <param name="receiverCost">What one more unit costs the receiver (money per unit; +∞ when it has no room).</param>
    /// <param name="hysteresis">Minimum gain per unit for each side (>= 0).</param>
    /// <param name="price">The agreed price per unit.</param>
    public static bool TryPrice(in LoadContract contract, double senderCost, double receiverCost, double hysteresis, out double price)
    {
        price = 0;
        if (!double.IsFinite(senderCost) || double.IsNaN(receiverCost) || double.IsPositiveInfinity(receiverCost) || !(hysteresis >= 0))
        {
            return false;
        }

        double senderReservation = senderCost - contract.MigrationCostPerUnit;
        double low = Math.Max(contract.PriceMin, receiverCost + hysteresis);
        double high = Math.Min(contract.PriceMax, senderReservation - hysteresis);
        if (low > high)
        {
            return false;
        }

        price = Math.Clamp((senderReservation + receiverCost) / 2, low, high);
        return true;
    }
}
