namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>An outlet of a PDU.</summary>
internal sealed class OutletDto
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? PowerState { get; set; }

    public OutletActionsDto? Actions { get; set; }
}
