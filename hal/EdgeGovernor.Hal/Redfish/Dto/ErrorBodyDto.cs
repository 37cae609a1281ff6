using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The <c>error</c> object of a Redfish error reply.</summary>
internal sealed class ErrorBodyDto
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("@Message.ExtendedInfo")]
    public List<ExtendedInfoDto>? ExtendedInfo { get; set; }
}
