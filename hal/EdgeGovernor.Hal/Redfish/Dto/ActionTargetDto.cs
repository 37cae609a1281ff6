using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>An action's <c>target</c>.</summary>
internal sealed class ActionTargetDto
{
    [JsonPropertyName("target")]
    public string? Target { get; set; }
}
