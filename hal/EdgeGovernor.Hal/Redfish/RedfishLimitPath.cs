namespace EdgeGovernor.Hal.Redfish;

/// <summary>Which resource carries the server's power limit.</summary>
public enum RedfishLimitPath
{
    /// <summary>A <c>Control</c> of type Power when the chassis has one, else the legacy <c>Power</c> resource.</summary>
    Auto,

    /// <summary>Only a <c>Control</c> of type Power (<c>SetPoint</c>, <c>ControlMode</c>).</summary>
    Control,

    /// <summary>Only the legacy <c>Power</c> resource (<c>PowerControl[0].PowerLimit</c>).</summary>
    LegacyPower,
}
