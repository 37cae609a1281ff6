namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary><c>Links</c> of the service root.</summary>
internal sealed class ServiceRootLinks
{
    public ODataLink? Sessions { get; set; }
}
