namespace EdgeGovernor.Firmware.Observability;

/// <summary>The price in force.</summary>
internal sealed class PriceView
{
    /// <summary>True when a valid price is in force; false means the safe policy holds.</summary>
    public bool Valid { get; set; }

    /// <summary>Price, ct/kWh (NaN is never written: 0 when not valid).</summary>
    public double CtPerKwh { get; set; }

    /// <summary>Interval start (market time).</summary>
    public string IntervalStart { get; set; } = "";

    /// <summary>Interval end (market time).</summary>
    public string IntervalEnd { get; set; } = "";

    /// <summary>Term of the record.</summary>
    public ulong Term { get; set; }

    /// <summary>Index of the record in the price log.</summary>
    public ulong Index { get; set; }

    /// <summary>Price records applied by this node.</summary>
    public long Applied { get; set; }

    /// <summary>Why the safe policy is in force, when it is.</summary>
    public string SafeReason { get; set; } = "";

    /// <summary>Hours ahead (after the current one) for which this node holds a published price: the governor's day-ahead.</summary>
    public int UpcomingHours { get; set; }
}
