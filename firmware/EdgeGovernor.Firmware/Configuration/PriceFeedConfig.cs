namespace EdgeGovernor.Firmware.Configuration;

/// <summary>The price feed the coordinator runs.</summary>
internal sealed class PriceFeedConfig
{
    /// <summary><c>synthetic</c> (default), <c>csv</c>, <c>http</c> or <c>entsoe</c>.</summary>
    public string Kind { get; set; } = "synthetic";

    /// <summary>CSV file in the <c>Datetime,Price (EUR/MWh)</c> format (kind csv).</summary>
    public string CsvPath { get; set; } = "";

    /// <summary>Simulated seconds per wall second (csv and synthetic replay); 1 is real time, at most 100000.</summary>
    public double Acceleration { get; set; } = 1;

    /// <summary>Start of the replay (ISO 8601, local market time), empty for the file's first row / today.</summary>
    public string ReplayStart { get; set; } = "";

    /// <summary>
    /// Wall time (Unix ms, 2000-01-01 .. 2100-01-01) at which market time reads <see cref="ReplayStart"/>; 0: the process
    /// start. Nodes of one accelerated replay share it.
    /// </summary>
    public long ReplayEpochUnixMs { get; set; }

    /// <summary>URL polled by kind http.</summary>
    public string Url { get; set; } = "";

    /// <summary>Name of the numeric price field in the HTTP JSON object.</summary>
    public string PriceField { get; set; } = "price";

    /// <summary>Optional name of the interval-start field (ISO 8601) in the HTTP JSON object.</summary>
    public string StartField { get; set; } = "";

    /// <summary>Unit of the feed's numbers: <c>EUR/MWh</c> or <c>ct/kWh</c>.</summary>
    public string Unit { get; set; } = "EUR/MWh";

    /// <summary>Seconds between feed polls.</summary>
    public double PollSeconds { get; set; } = 60;

    /// <summary>
    /// Length of one price interval in seconds (3600 for hourly day-ahead prices); 0 (default): a CSV file's own (the gap
    /// between its first rows), else the market interval (<c>market.intervalMinutes</c>). See <see cref="MarketConfig.FeedInterval"/>.
    /// </summary>
    public double IntervalSeconds { get; set; }

    /// <summary>Seed of the synthetic profile's noise.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>
    /// Day-ahead publication (csv and synthetic, which know the future): the coordinator publishes every interval that
    /// starts within this many hours from now (0..48), as a day-ahead market announces tomorrow's prices in advance;
    /// each record is applied when its interval starts, and the governor plans with the ones it holds. 1: the interval
    /// in force and the next one. http publishes what it polls.
    /// </summary>
    public double PublishAheadHours { get; set; } = 1;

    /// <summary>http: how many hours before the poll's time a record's interval may start (0..720; default 48).</summary>
    public double PlausiblePastHours { get; set; } = 48;

    /// <summary>http: how many hours after the poll's time a record's interval may start (1..720; default 192).</summary>
    public double PlausibleAheadHours { get; set; } = 192;

    /// <summary>The ENTSO-E Transparency Platform feed (kind entsoe).</summary>
    public EntsoeConfig Entsoe { get; set; } = new();
}
