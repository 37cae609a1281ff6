namespace EdgeGovernor.Hal.Bmc;

/// <summary>
/// What the BMC does when the limit cannot be held within the correction time (DCMI 1.5 table 6-18).
/// 0x02-0x10 are OEM-defined actions: they have no name here and are kept as their raw value
/// (see <see cref="PowerLimitExceptionActions.IsOem"/>); every other value is not defined by DCMI.
/// </summary>
public enum PowerLimitExceptionAction : byte
{
    NoAction = 0x00,
    HardPowerOffAndLogEvent = 0x01,
    LogEventOnly = 0x11,
}
