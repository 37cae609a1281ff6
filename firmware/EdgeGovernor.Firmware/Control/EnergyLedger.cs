namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Energy, cost and emissions of a rack, booked period by period in market time: kWh of the measured draw, EUR at
/// the price in force, kg CO2 at the grid's carbon intensity in force (<see cref="IntensityKgPerKwh"/>, set from the
/// node's carbon schedule before each step; the fixed <see cref="KgCo2PerKwh"/> until then or without a series).
/// Negative prices earn money. Per market interval too: the controller closes the open interval at each boundary
/// (<see cref="CloseInterval"/>), which keeps the closed one's figures (<see cref="LastIntervalKwh"/>, ...). Allocation-free.
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

    /// <summary>Market intervals closed so far.</summary>
    public long IntervalsClosed { get; private set; }

    /// <summary>Energy booked in the interval still open, kWh.</summary>
    public double OpenIntervalKwh { get; private set; }

    /// <summary>Energy of the interval closed last, kWh.</summary>
    public double LastIntervalKwh { get; private set; }

    /// <summary>Cost of the interval closed last, EUR.</summary>
    public double LastIntervalEur { get; private set; }

    /// <summary>Emissions of the interval closed last, kg CO2.</summary>
    public double LastIntervalKgCo2 { get; private set; }

    private double _openEur;
    private double _openKg;

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
        double eur = kwh * priceCtPerKwh / 100.0, kg = kwh * _intensity;
        Kwh += kwh;
        Eur += eur;
        KgCo2 += kg;
        OpenIntervalKwh += kwh;
        _openEur += eur;
        _openKg += kg;
        return kwh;
    }

    /// <summary>A market interval ended: what was booked since the last close becomes the last interval's figures.</summary>
    public void CloseInterval()
    {
        LastIntervalKwh = OpenIntervalKwh;
        LastIntervalEur = _openEur;
        LastIntervalKgCo2 = _openKg;
        OpenIntervalKwh = _openEur = _openKg = 0;
        IntervalsClosed++;
    }
}
