namespace EdgeGovernor.Hal.Bmc;

/// <summary>Chassis Control actions (IPMI v2.0 table 28-4).</summary>
public enum ChassisControl : byte
{
    PowerOff = 0x00,
    PowerOn = 0x01,
    PowerCycle = 0x02,
    HardReset = 0x03,
    SoftOff = 0x05,
}
