namespace EdgeGovernor.Hal.Redfish;

/// <summary>The <c>PowerState</c> of a system or an outlet (Redfish <c>Resource.PowerState</c>).</summary>
public enum RedfishPowerState
{
    /// <summary>On.</summary>
    On,

    /// <summary>Off.</summary>
    Off,

    /// <summary>Turning on.</summary>
    PoweringOn,

    /// <summary>Turning off.</summary>
    PoweringOff,

    /// <summary>Paused (powered).</summary>
    Paused,
}
