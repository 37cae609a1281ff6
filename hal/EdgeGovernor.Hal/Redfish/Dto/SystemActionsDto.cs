using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>Actions</c> of a computer system.</summary>
internal sealed class SystemActionsDto
{
    [JsonPropertyName("#ComputerSystem.Reset")]
    public ResetActionDto? Reset { get; set; }
}
