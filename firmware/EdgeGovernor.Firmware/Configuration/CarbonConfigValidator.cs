namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Checks the <c>carbon</c> object.</summary>
internal static class CarbonConfigValidator
{
    /// <summary>Carbon source kinds (empty: none, the fixed factor).</summary>
    public static readonly string[] Kinds = ["", "csv", "http"];

    /// <summary>Validates <paramref name="c"/>, appending every problem to <paramref name="errors"/>.</summary>
    public static void Validate(CarbonConfig c, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errors);
        void Check(bool ok, string path, string reason)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(path, reason));
            }
        }

        Check(Array.IndexOf(Kinds, c.Kind) >= 0, "$.carbon.kind", $"'{c.Kind}' is not one of: \"\" (none), csv, http");
        Check(c.DefaultKgPerKwh is >= 0 and <= 2, "$.carbon.defaultKgPerKwh", "must be from 0 to 2 kg CO2 per kWh");
        Check(c.IntervalSeconds is >= 300 and <= 86400, "$.carbon.intervalSeconds", "must be from 300 to 86400");
        Check(c.PollSeconds is >= 10 and <= 86400, "$.carbon.pollSeconds", "must be from 10 to 86400");
        Check(c.RequestTimeoutSeconds is >= 1 and <= 60, "$.carbon.requestTimeoutSeconds", "must be from 1 to 60");
        Check(c.PricePerTonne is >= 0 and <= 1000, "$.carbon.pricePerTonne", "must be from 0 to 1000 EUR per tonne CO2");
        if (c.Kind == "csv")
        {
            Check(c.CsvPath.Length > 0, "$.carbon.csvPath", "must name the CSV file when kind is csv");
            Check(c.CsvPath.Length == 0 || File.Exists(c.CsvPath), "$.carbon.csvPath", $"file '{c.CsvPath}' does not exist");
        }
        if (c.Kind == "http")
        {
            Check(Uri.TryCreate(c.Url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
                "$.carbon.url", $"'{c.Url}' is not an absolute http or https URL");
            Check(!string.IsNullOrWhiteSpace(c.IntensityField), "$.carbon.intensityField", "must name the JSON field holding the intensity");
        }
    }
}
