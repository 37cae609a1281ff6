namespace EdgeGovernor.Policy;

/// <summary>Power-state change the policy asks for.</summary>
public enum PowerCommand : byte
{
    /// <summary>Leave the server up or down as it is.</summary>
    Keep = 0,

    /// <summary>Boot the server (it is down); the boot takes this hour.</summary>
    PowerOn = 1,

    /// <summary>Power the server off (it is up).</summary>
    PowerOff = 2,
}
