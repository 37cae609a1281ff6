namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A chassis: where its power resources are.</summary>
internal sealed class ChassisDto
{
    public string? Id { get; set; }

    public ODataLink? Controls { get; set; }

    public ODataLink? Power { get; set; }

    public ODataLink? EnvironmentMetrics { get; set; }

    public ODataLink? PowerSubsystem { get; set; }

    public ChassisLinks? Links { get; set; }
}
