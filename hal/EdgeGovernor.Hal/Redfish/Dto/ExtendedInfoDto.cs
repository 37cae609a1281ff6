namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>One <c>@Message.ExtendedInfo</c> entry of an error.</summary>
internal sealed class ExtendedInfoDto
{
    public string? MessageId { get; set; }

    public string? Message { get; set; }
}
