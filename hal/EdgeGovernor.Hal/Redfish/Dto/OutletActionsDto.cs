using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>Actions</c> of an outlet.</summary>
internal sealed class OutletActionsDto
{
    [JsonPropertyName("#Outlet.PowerControl")]
    public ActionTargetDto? PowerControl { get; set; }
}
