using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The <c>#ComputerSystem.Reset</c> action of a system.</summary>
internal sealed class ResetActionDto
{
    [JsonPropertyName("target")]
    public string? Target { get; set; }

    [JsonPropertyName("ResetType@Redfish.AllowableValues")]
    public List<string>? AllowableResetTypes { get; set; }

    [JsonPropertyName("@Redfish.ActionInfo")]
    public string? ActionInfo { get; set; }
}
