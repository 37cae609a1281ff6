namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A chassis' <c>PowerSubsystem</c>.</summary>
internal sealed class PowerSubsystemDto
{
    public ODataLink? PowerSupplies { get; set; }
}
