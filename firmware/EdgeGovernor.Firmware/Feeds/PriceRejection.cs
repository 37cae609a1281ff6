namespace EdgeGovernor.Firmware.Feeds;

/// <summary>Why a feed record was rejected.</summary>
internal enum PriceRejection
{
    /// <summary>NaN or infinite.</summary>
    NotFinite,

    /// <summary>Below thresholds.minPriceCtPerKwh.</summary>
    BelowMinimum,

    /// <summary>Above thresholds.maxPriceCtPerKwh.</summary>
    AboveMaximum,

    /// <summary>Interval end not after its start, or absurdly long.</summary>
    BadInterval,

    /// <summary>Record could not be parsed (CSV row, HTTP body).</summary>
    Malformed,

    /// <summary>Timestamp not after the previous record's (CSV).</summary>
    OutOfOrder,

    /// <summary>HTTP error, timeout or unreadable file.</summary>
    Unavailable,

    /// <summary>Interval outside the plausibility window: the market window 2000..2100, or for a live feed too far from the poll's time.</summary>
    Implausible,
}
