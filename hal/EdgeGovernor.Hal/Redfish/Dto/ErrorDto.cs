using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A Redfish error reply.</summary>
internal sealed class ErrorDto
{
    [JsonPropertyName("error")]
    public ErrorBodyDto? Error { get; set; }
}
