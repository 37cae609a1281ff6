namespace EdgeGovernor.Firmware.Demo;

/// <summary>
/// What the demo's summary shows of a rack's response to prices: the mean cap of the running interactive servers
/// while the highest and while the lowest price so far was in force (the later of equal prices wins). Fed once per
/// control step with a valid price and at least one interactive server serving. Allocation-free.
/// </summary>
internal sealed class PriceResponseStatistics
{
    /// <summary>Highest price observed (ct/kWh; NaN before the first).</summary>
    public double PeakPriceCt { get; private set; } = double.NaN;

    /// <summary>Mean interactive cap while <see cref="PeakPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtPeakWatts { get; private set; }

    /// <summary>Lowest price observed (ct/kWh; NaN before the first).</summary>
    public double CheapestPriceCt { get; private set; } = double.NaN;

    /// <summary>Mean interactive cap while <see cref="CheapestPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtCheapestWatts { get; private set; }

    /// <summary>Records one step: the price in force and the mean cap of the interactive servers serving.</summary>
    public void Observe(double priceCtPerKwh, double meanInteractiveCapWatts)
    {
        if (!(priceCtPerKwh < PeakPriceCt))
        {
            PeakPriceCt = priceCtPerKwh;
            InteractiveCapAtPeakWatts = meanInteractiveCapWatts;
        }
        if (!(priceCtPerKwh > CheapestPriceCt))
        {
            CheapestPriceCt = priceCtPerKwh;
            InteractiveCapAtCheapestWatts = meanInteractiveCapWatts;
        }
    }
}
