namespace EdgeGovernor.Hal.Bmc;

/// <summary>The part of Get Chassis Status a power manager needs.</summary>
public readonly record struct ChassisStatus(bool PowerOn, bool PowerOverload, bool PowerFault, bool PowerControlFault);
