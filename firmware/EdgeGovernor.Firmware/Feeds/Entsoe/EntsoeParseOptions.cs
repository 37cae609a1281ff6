namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>What an ENTSO-E reply must look like to be accepted. The defaults fit the European day-ahead market.</summary>
internal sealed record EntsoeParseOptions
{
    /// <summary>Largest reply accepted, in characters (a two-day 15-minute reply is about 40 KB).</summary>
    public int MaxCharacters { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most intervals accepted over all Periods of one reply (a week of quarter-hours is 672).</summary>
    public int MaxIntervals { get; init; } = 20_000;

    /// <summary>The currency every TimeSeries must name (<c>currency_Unit.name</c>).</summary>
    public string Currency { get; init; } = "EUR";

    /// <summary>The unit every TimeSeries must price (<c>price_Measure_Unit.name</c>).</summary>
    public string PriceUnit { get; init; } = "MWH";

    /// <summary>Lowest plausible price per MWh; a lower one rejects the reply (SDAC's harmonised floor is -500).</summary>
    public double MinPrice { get; init; } = -1_000;

    /// <summary>Highest plausible price per MWh; a higher one rejects the reply (SDAC's harmonised cap is 4,000-5,000).</summary>
    public double MaxPrice { get; init; } = 10_000;
}
