namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>Links</c> of a chassis.</summary>
internal sealed class ChassisLinks
{
    public List<ODataLink>? ComputerSystems { get; set; }
}
