namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The body of <c>ComputerSystem.Reset</c>.</summary>
internal sealed class ResetRequest
{
    public string? ResetType { get; set; }
}
