namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Energy, cost and emissions of a rack, booked period by period in market time: kWh of the measured draw, EUR at
/// the price in force, kg CO2 at the grid's carbon intensity in force (<see cref="IntensityKgPerKwh"/>, set from the
/// node's carbon schedule before each step; the fixed <see cref="KgCo2PerKwh"/> until then or without a series).
/// Negative prices earn money. Allocation-free.
/// </summary>
internal sealed class EnergyLedger
{
    /// <summary>Default grid emission factor (kg CO2 per kWh), the architecture's default.</summary>
    public const double KgCo2PerKwh = 0.429;

    private double _intensity = KgCo2PerKwh;

    /// <summary>Energy booked, kWh.</summary>
    public double Kwh { get; private set; }

    /// <summary>Cost booked, EUR.</summary>
    public double Eur { get; private set; }

    /// <summary>Emissions booked, kg CO2.</summary>
    public double KgCo2 { get; private set; }

    /// <summary>The carbon intensity the next periods are booked at, kg CO2 per kWh (finite, non-negative).</summary>
    public double IntensityKgPerKwh
    {
        get => _intensity;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the carbon intensity must be a finite, non-negative number");
            }
            _intensity = value;
        }
    }

    /// <summary>Books <paramref name="powerWatts"/> drawn for <paramref name="hours"/> at <paramref name="priceCtPerKwh"/>; returns the kWh.</summary>
    public double Book(double powerWatts, double hours, double priceCtPerKwh)
    {
        double kwh = powerWatts * hours / 1000.0;
        Kwh += kwh;
        Eur += kwh * priceCtPerKwh / 100.0;
        KgCo2 += kwh * _intensity;
        return kwh;
    }
}
