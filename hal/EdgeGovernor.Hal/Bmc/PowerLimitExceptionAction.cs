namespace EdgeGovernor.Hal.Bmc;

/// <summary>What the BMC does when the limit cannot be held within the correction time.</summary>
public enum PowerLimitExceptionAction : byte
{
    NoAction = 0x00,
    HardPowerOffAndLogEvent = 0x01,
    LogEventOnly = 0x11,
}
