namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The <c>PowerEquipment</c> resource: collections of PDUs.</summary>
internal sealed class PowerEquipmentDto
{
    public ODataLink? RackPDUs { get; set; }

    public ODataLink? FloorPDUs { get; set; }
}
