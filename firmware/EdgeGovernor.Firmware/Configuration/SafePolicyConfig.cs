namespace EdgeGovernor.Firmware.Configuration;

/// <summary>The policy that holds with a stale or missing price.</summary>
internal sealed class SafePolicyConfig
{
    /// <summary><c>fixed-cap</c>: every server at <see cref="CapFraction"/>; <c>fallback-price</c>: the policy runs with <see cref="FallbackPriceCtPerKwh"/>.</summary>
    public string Mode { get; set; } = "fixed-cap";

    /// <summary>Share (0..1] of each server's cap range used by fixed-cap.</summary>
    public double CapFraction { get; set; } = 0.6;

    /// <summary>Price assumed by fallback-price, ct/kWh.</summary>
    public double FallbackPriceCtPerKwh { get; set; } = 30;
}
