namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>One <c>PowerControl</c> entry of the legacy <c>Power</c> resource.</summary>
internal sealed class PowerControlDto
{
    public string? MemberId { get; set; }

    public double? PowerConsumedWatts { get; set; }

    public PowerMetricsDto? PowerMetrics { get; set; }

    public PowerLimitDto? PowerLimit { get; set; }
}
