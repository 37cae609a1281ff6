namespace EdgeGovernor.Firmware.Observability;

/// <summary>The market interval the rack plans at (<c>market.intervalMinutes</c>) and the figures of the interval closed last.</summary>
internal sealed class MarketIntervalStatus
{
    /// <summary>Minutes of one market interval.</summary>
    public int IntervalMinutes { get; set; }

    /// <summary>Start of the current market interval, market time (UTC on a real-time clock), ISO 8601; empty before the first control step.</summary>
    public string IntervalStart { get; set; } = "";

    /// <summary>Market interval boundaries the controller has decided at (the first step counts as one).</summary>
    public long IntervalsDecided { get; set; }

    /// <summary>Market intervals closed (booked whole) so far.</summary>
    public long IntervalsClosed { get; set; }

    /// <summary>Energy of the interval closed last, kWh (0 before the first closes).</summary>
    public double LastIntervalKwh { get; set; }

    /// <summary>Energy cost of the interval closed last, EUR.</summary>
    public double LastIntervalEur { get; set; }

    /// <summary>Emissions of the interval closed last, kg CO2.</summary>
    public double LastIntervalKgCo2 { get; set; }
}
