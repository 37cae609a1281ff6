namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>One <c>PowerControl</c> entry of a PATCH of the legacy <c>Power</c> resource.</summary>
internal sealed class PowerControlPatch
{
    public PowerLimitPatch? PowerLimit { get; set; }
}
