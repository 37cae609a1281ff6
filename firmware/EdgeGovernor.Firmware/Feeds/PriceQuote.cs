using System.Globalization;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>A price for one interval of market time, as a feed delivers it (already in ct/kWh).</summary>
/// <param name="IntervalStart">Start of the interval (market time, unspecified kind: the CSVs carry no zone).</param>
/// <param name="IntervalEnd">End of the interval (exclusive).</param>
/// <param name="CtPerKwh">Price in eurocents per kWh (1 EUR/MWh = 0.1 ct/kWh); may be negative.</param>
internal readonly record struct PriceQuote(DateTime IntervalStart, DateTime IntervalEnd, double CtPerKwh)
{
    /// <summary>True when <paramref name="marketTime"/> lies in [start, end).</summary>
    public bool Covers(DateTime marketTime) => marketTime >= IntervalStart && marketTime < IntervalEnd;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{IntervalStart:yyyy-MM-dd HH:mm}..{IntervalEnd:HH:mm} {CtPerKwh:0.###} ct/kWh");
}
