namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Thresholds.</summary>
internal sealed class ThresholdConfig
{
    /// <summary>PARMCEA lower utilization threshold (0..1).</summary>
    public double UtilizationLow { get; set; } = 0.2;

    /// <summary>PARMCEA upper utilization threshold (0..1).</summary>
    public double UtilizationHigh { get; set; } = 0.7;

    /// <summary>Lowest accepted price, ct/kWh (EPEX day-ahead floor -500 EUR/MWh).</summary>
    public double MinPriceCtPerKwh { get; set; } = -50;

    /// <summary>Highest accepted price, ct/kWh (EPEX day-ahead cap 4000 EUR/MWh).</summary>
    public double MaxPriceCtPerKwh { get; set; } = 400;

    /// <summary>Coordinator alternates named in heartbeats.</summary>
    public int Alternates { get; set; } = 2;
}
