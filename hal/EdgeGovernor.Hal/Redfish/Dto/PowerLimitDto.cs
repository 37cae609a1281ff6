namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>PowerControl[].PowerLimit</c> of the legacy <c>Power</c> resource.</summary>
internal sealed class PowerLimitDto
{
    public double? LimitInWatts { get; set; }

    public string? LimitException { get; set; }

    public long? CorrectionInMs { get; set; }
}
