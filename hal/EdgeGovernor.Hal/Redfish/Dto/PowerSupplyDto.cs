namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A power supply of a <c>PowerSubsystem</c>.</summary>
internal sealed class PowerSupplyDto
{
    public string? Id { get; set; }

    public ODataLink? Metrics { get; set; }
}
