namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// One <c>Period</c> of a day-ahead price reply, expanded: one price per interval of <see cref="Resolution"/>
/// from <see cref="StartUtc"/>, positions the reply left out (curve type A03) filled with the price before them.
/// </summary>
/// <param name="StartUtc">Start of the period's time interval (UTC).</param>
/// <param name="Resolution">Length of one interval (15, 30 or 60 minutes).</param>
/// <param name="Prices">Price per interval, in the reply's currency per MWh; index = position - 1.</param>
/// <param name="CurveType">How the reply wrote the positions.</param>
internal sealed record EntsoePeriod(DateTimeOffset StartUtc, TimeSpan Resolution, double[] Prices, EntsoeCurveType CurveType)
{
    /// <summary>End of the period's time interval (UTC).</summary>
    public DateTimeOffset EndUtc => StartUtc + (Resolution * Prices.Length);

    /// <summary>Start of interval <paramref name="index"/> (UTC).</summary>
    public DateTimeOffset IntervalStart(int index) => StartUtc + (Resolution * index);
}
