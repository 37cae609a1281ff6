namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The grid's carbon intensity (object <c>carbon</c>): a series replayed from a CSV file (kind <c>csv</c>, on the price
/// feed's market clock) or polled from an HTTP JSON endpoint (kind <c>http</c>), hourly or sub-hourly. Without one
/// (kind empty, the default) emissions are booked at the fixed <see cref="DefaultKgPerKwh"/>. Each node reads its own
/// source; nothing is replicated. Checked by <see cref="CarbonConfigValidator"/>.
/// </summary>
internal sealed class CarbonConfig
{
    /// <summary><c>""</c> (none: the fixed factor), <c>csv</c> or <c>http</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Intensity used when no series is configured or none covers now, kg CO2 per kWh (0..2).</summary>
    public double DefaultKgPerKwh { get; set; } = 0.429;

    /// <summary>CSV file (kind csv): first column the time (<c>yyyy-MM-dd HH:mm:ss</c>, an optional UTC offset), one column in gCO2eq/kWh.</summary>
    public string CsvPath { get; set; } = "";

    /// <summary>Header of the intensity column (kind csv); empty: <c>Carbon Intensity gCO₂eq/kWh (direct)</c> or <c>g_co2_per_kwh</c>, whichever the file has.</summary>
    public string CsvColumn { get; set; } = "";

    /// <summary>URL polled by kind http (a JSON object, e.g. Electricity Maps' <c>carbon-intensity/latest</c>).</summary>
    public string Url { get; set; } = "";

    /// <summary>Field (dotted path) holding the intensity in gCO2eq/kWh (kind http).</summary>
    public string IntensityField { get; set; } = "carbonIntensity";

    /// <summary>Field holding the interval start, ISO 8601 (kind http); empty: the interval covering the poll.</summary>
    public string StartField { get; set; } = "datetime";

    /// <summary>Longest time one reading holds, seconds (300..86400): the interval of an http reading, the most a CSV row holds before the next.</summary>
    public double IntervalSeconds { get; set; } = 3600;

    /// <summary>Seconds between polls (kind http, 10..86400).</summary>
    public double PollSeconds { get; set; } = 300;

    /// <summary>Deadline of one request, headers and body, seconds (kind http, 1..60).</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Carbon price the governor adds to the energy price, EUR per tonne CO2 (0..1000; 0: none).</summary>
    public double PricePerTonne { get; set; }
}
