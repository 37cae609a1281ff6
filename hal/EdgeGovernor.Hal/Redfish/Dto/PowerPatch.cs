namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A PATCH of the legacy <c>Power</c> resource.</summary>
internal sealed class PowerPatch
{
    public List<PowerControlPatch>? PowerControl { get; set; }
}
