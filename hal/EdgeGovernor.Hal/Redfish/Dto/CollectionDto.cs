namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A resource collection: its members' links.</summary>
internal sealed class CollectionDto
{
    public List<ODataLink>? Members { get; set; }
}
