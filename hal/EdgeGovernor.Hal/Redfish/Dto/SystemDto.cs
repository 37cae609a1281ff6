namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A computer system: power state and the reset action.</summary>
internal sealed class SystemDto
{
    public string? Id { get; set; }

    public string? PowerState { get; set; }

    public SystemActionsDto? Actions { get; set; }
}
