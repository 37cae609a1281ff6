using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The legacy <c>Power</c> resource of a chassis.</summary>
internal sealed class PowerDto
{
    public List<PowerControlDto>? PowerControl { get; set; }

    [JsonPropertyName("@odata.etag")]
    public string? ETag { get; set; }
}
