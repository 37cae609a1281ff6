namespace EdgeGovernor.Hal.Ipmi;

/// <summary>Requested maximum privilege level of a session (IPMI v2.0 table 13-17 / 22-19).</summary>
public enum IpmiPrivilege : byte
{
    /// <summary>Callback level.</summary>
    Callback = 1,

    /// <summary>User level: read-only commands.</summary>
    User = 2,

    /// <summary>Operator level: needed for Chassis Control and DCMI power limits.</summary>
    Operator = 3,

    /// <summary>Administrator level.</summary>
    Administrator = 4,
}
