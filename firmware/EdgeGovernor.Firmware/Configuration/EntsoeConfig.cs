using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The ENTSO-E Transparency Platform feed (<c>priceFeed.kind: "entsoe"</c>, object <c>priceFeed.entsoe</c>): day-ahead
/// prices (document type A44) of one bidding zone. Checked by <see cref="EntsoeConfigValidator"/>.
/// </summary>
internal sealed class EntsoeConfig
{
    /// <summary>The platform's REST API (https; http only for a local test stub).</summary>
    public string BaseUrl { get; set; } = "https://web-api.tp.entsoe.eu/api";

    /// <summary>EIC code of the bidding zone (16 characters with its check character), e.g. <c>10Y1001A1001A82H</c> for DE-LU.</summary>
    public string BiddingZone { get; set; } = "";

    /// <summary>File holding the security token (one line; mode 0600 or 0400, owner only). The token is never logged.</summary>
    public string TokenFile { get; set; } = "";

    /// <summary>Deadline of one whole request, headers and body, seconds (1..60).</summary>
    public double RequestTimeoutSeconds { get; set; } = 20;

    /// <summary>Local time of the market (<see cref="TimeZone"/>) from which tomorrow's prices are asked for (SDAC publishes about 12:45 CET).</summary>
    public string PublicationTime { get; set; } = "12:45";

    /// <summary>IANA time zone (tzdata) of the market's delivery day and <see cref="PublicationTime"/>.</summary>
    public string TimeZone { get; set; } = "Europe/Brussels";

    /// <summary>First retry delay after a no-data acknowledgement or an error, seconds (doubles up to <see cref="RetryMaxSeconds"/>, with jitter).</summary>
    public double RetryInitialSeconds { get; set; } = 60;

    /// <summary>Longest retry delay, seconds (also the cap of a server's Retry-After).</summary>
    public double RetryMaxSeconds { get; set; } = 1800;

    /// <summary>Least time between two requests, seconds (5..3600): at most 12 requests a minute against the platform's 400.</summary>
    public double MinRequestSpacingSeconds { get; set; } = 5;

    /// <summary>The security token read from <see cref="TokenFile"/> during validation; never serialised or logged.</summary>
    [JsonIgnore]
    public string Token { get; internal set; } = "";
}
