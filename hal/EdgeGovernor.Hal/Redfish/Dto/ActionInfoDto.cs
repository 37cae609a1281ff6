namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>An <c>ActionInfo</c> resource: the parameters an action accepts.</summary>
internal sealed class ActionInfoDto
{
    public List<ActionParameterDto>? Parameters { get; set; }
}
