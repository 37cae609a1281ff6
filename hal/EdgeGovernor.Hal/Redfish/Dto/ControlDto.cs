using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A <c>Control</c> resource (a power limit when <c>ControlType</c> is <c>Power</c>).</summary>
internal sealed class ControlDto
{
    public string? Id { get; set; }

    public string? ControlType { get; set; }

    public string? ControlMode { get; set; }

    public double? SetPoint { get; set; }

    public string? SetPointUnits { get; set; }

    public double? AllowableMin { get; set; }

    public double? AllowableMax { get; set; }

    [JsonPropertyName("@odata.etag")]
    public string? ETag { get; set; }
}
