namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>The body of <c>Outlet.PowerControl</c>, or a PATCH of an outlet's <c>PowerState</c>.</summary>
internal sealed class PowerStateRequest
{
    public string? PowerState { get; set; }
}
