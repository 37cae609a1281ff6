namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A PATCH of a power-limit <c>Control</c> (absent members are left out).</summary>
internal sealed class ControlPatch
{
    public double? SetPoint { get; set; }

    public string? ControlMode { get; set; }
}
