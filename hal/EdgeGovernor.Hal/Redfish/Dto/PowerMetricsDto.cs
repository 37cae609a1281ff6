namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>PowerControl[].PowerMetrics</c> of the legacy <c>Power</c> resource.</summary>
internal sealed class PowerMetricsDto
{
    public double? IntervalInMin { get; set; }

    public double? MinConsumedWatts { get; set; }

    public double? MaxConsumedWatts { get; set; }

    public double? AverageConsumedWatts { get; set; }
}
