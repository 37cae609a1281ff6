using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A navigation link: <c>{"@odata.id": "/redfish/v1/..."}</c>.</summary>
internal sealed class ODataLink
{
    [JsonPropertyName("@odata.id")]
    public string? Id { get; set; }
}
