namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The service root (<c>/redfish/v1/</c>): the links discovery starts from.</summary>
internal sealed class ServiceRootDto
{
    public string? RedfishVersion { get; set; }

    public ODataLink? Systems { get; set; }

    public ODataLink? Chassis { get; set; }

    public ODataLink? PowerEquipment { get; set; }

    public ODataLink? SessionService { get; set; }

    public ServiceRootLinks? Links { get; set; }
}
