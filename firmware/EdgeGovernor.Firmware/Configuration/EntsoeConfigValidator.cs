using System.Globalization;
using EdgeGovernor.Firmware.Feeds.Entsoe;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Checks <c>priceFeed.entsoe</c> (when <c>priceFeed.kind</c> is <c>entsoe</c>) and reads its token file.</summary>
internal static class EntsoeConfigValidator
{
    private const string P = "$.priceFeed.entsoe";

    /// <summary>Validates <paramref name="f"/>'s ENTSO-E settings, appending every problem to <paramref name="errors"/>.</summary>
    public static void Validate(PriceFeedConfig f, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(errors);
        if (f.Kind != "entsoe")
        {
            return;
        }
        EntsoeConfig c = f.Entsoe;
        void Check(bool ok, string path, string reason)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(path, reason));
            }
        }

        Check(Uri.TryCreate(c.BaseUrl, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.Query.Length == 0 && uri.Fragment.Length == 0,
            P + ".baseUrl", $"'{c.BaseUrl}' is not an absolute https URL without query (default https://web-api.tp.entsoe.eu/api)");
        Check(EicCode.IsValid(c.BiddingZone, out string eicProblem), P + ".biddingZone", eicProblem);
        Check(c.RequestTimeoutSeconds is >= 1 and <= 60, P + ".requestTimeoutSeconds", "must be from 1 to 60");
        Check(EntsoeRequestSchedule.TryParseTimeOfDay(c.PublicationTime, out _), P + ".publicationTime", $"'{c.PublicationTime}' is not a time of day HH:mm");
        Check(EntsoeRequestSchedule.TryFindZone(c.TimeZone, out _), P + ".timeZone",
            $"'{c.TimeZone}' was not found in this system's tzdata, read from {ZoneDirectory()} (an IANA zone such as Europe/Brussels): is the tzdata package installed (Debian: apt-get install tzdata)?");
        Check(c.RetryInitialSeconds is >= 1 and <= 3600, P + ".retryInitialSeconds", "must be from 1 to 3600");
        Check(c.RetryMaxSeconds >= c.RetryInitialSeconds && c.RetryMaxSeconds <= 86400, P + ".retryMaxSeconds", "must be from retryInitialSeconds to 86400");
        Check(c.MinRequestSpacingSeconds is >= 1 and <= 3600, P + ".minRequestSpacingSeconds",
            string.Create(CultureInfo.InvariantCulture, $"must be from 1 to 3600 (1: at most 60 requests a minute, far below the platform's {EntsoeRequestSchedule.PlatformLimitPerMinute})"));
        if (string.IsNullOrWhiteSpace(c.TokenFile))
        {
            errors.Add(new ConfigError(P + ".tokenFile", "must name the file holding the security token (chmod 600)"));
            return;
        }
        // The token is the first non-blank line that is not a comment; it never appears in an error message.
        string? text = SecretFile.Read(c.TokenFile, "security token file", P + ".tokenFile", errors);
        if (text is null)
        {
            return;
        }
        string? token = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#');
        if (token is null || token.Any(ch => ch is < '!' or > '~'))
        {
            errors.Add(new ConfigError(P + ".tokenFile", $"'{c.TokenFile}' holds no security token (one line of printable ASCII without spaces)"));
            return;
        }
        c.Token = token;
    }

    // Where .NET reads the zones on Linux (native AOT included; InvariantGlobalization does not embed them): TZDIR or
    // /usr/share/zoneinfo.
    private static string ZoneDirectory() => Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? dir : "/usr/share/zoneinfo";
}
