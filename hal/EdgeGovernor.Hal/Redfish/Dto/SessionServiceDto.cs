namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The session service.</summary>
internal sealed class SessionServiceDto
{
    public bool? ServiceEnabled { get; set; }

    public ODataLink? Sessions { get; set; }
}
