namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The body of a session login.</summary>
internal sealed class SessionRequest
{
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
