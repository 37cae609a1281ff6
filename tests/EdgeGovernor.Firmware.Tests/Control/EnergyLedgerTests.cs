using EdgeGovernor.Firmware.Control;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary><see cref="EnergyLedger"/>: kWh of the draw, EUR at the price in force, kg CO2 at 0.429 kg/kWh.</summary>
public sealed class EnergyLedgerTests
{
    [Fact]
    public void A_period_books_its_energy_its_cost_at_the_price_and_its_emissions()
    {
        var ledger = new EnergyLedger();
        Assert.Equal(2.0, ledger.Book(1000, 2, 25), 12);
        Assert.Equal(2.0, ledger.Kwh, 12);
        Assert.Equal(0.5, ledger.Eur, 12);
        Assert.Equal(0.858, ledger.KgCo2, 12);
    }

    [Fact]
    public void Periods_add_up_and_a_negative_price_earns_money()
    {
        var ledger = new EnergyLedger();
        ledger.Book(1500, 0.5, 10);   // 0.75 kWh, 0.075 EUR
        ledger.Book(1500, 0.5, -4);   // 0.75 kWh, -0.03 EUR
        ledger.Book(800, 0, 1000);    // no time: nothing
        Assert.Equal(1.5, ledger.Kwh, 12);
        Assert.Equal(0.045, ledger.Eur, 12);
        Assert.Equal(1.5 * EnergyLedger.KgCo2PerKwh, ledger.KgCo2, 12);
    }

    [Fact]
    public void Nothing_is_booked_before_the_first_period()
    {
        var ledger = new EnergyLedger();
        Assert.Equal(0, ledger.Kwh);
        Assert.Equal(0, ledger.Eur);
        Assert.Equal(0, ledger.KgCo2);
    }
}
