using System.Globalization;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Checks the <c>market</c> object and what depends on its interval (a boot must fit in one interval).</summary>
internal static class MarketConfigValidator
{
    /// <summary>Validates <c>market</c> of <paramref name="c"/>, appending every problem to <paramref name="errors"/>.</summary>
    public static void Validate(FirmwareConfig c, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errors);
        int minutes = c.Market.IntervalMinutes;
        if (!RackSpec.SupportedIntervals.Contains(minutes))
        {
            errors.Add(new ConfigError("$.market.intervalMinutes", $"must be 5, 15, 30 or 60 (minutes of one market interval), got {minutes}"));
            return;
        }
        for (int i = 0; i < c.Rack.Servers.Length; i++)
        {
            double boot = c.Rack.Servers[i].BootSeconds;
            if (boot > minutes * 60)
            {
                errors.Add(new ConfigError($"$.rack.servers[{i}].bootSeconds",
                    string.Create(CultureInfo.InvariantCulture, $"{boot} s does not fit in one {minutes}-minute market interval (market.intervalMinutes): a boot must end within the interval it starts in")));
            }
        }
    }
}
