namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>One parameter of an <c>ActionInfo</c>.</summary>
internal sealed class ActionParameterDto
{
    public string? Name { get; set; }

    public List<string>? AllowableValues { get; set; }
}
