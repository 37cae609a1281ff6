namespace EdgeGovernor.Hal.Bmc;

/// <summary>The DCMI value ranges of <see cref="PowerLimitExceptionAction"/> (as FreeIPMI and ipmitool read them).</summary>
public static class PowerLimitExceptionActions
{
    /// <summary>First and last OEM-defined exception action.</summary>
    public const byte OemFirst = 0x02, OemLast = 0x10;

    /// <summary>True for an OEM-defined action (0x02-0x10): its meaning is the BMC vendor's.</summary>
    public static bool IsOem(PowerLimitExceptionAction action) => (byte)action is >= OemFirst and <= OemLast;

    /// <summary>True for every value DCMI defines: no action, hard power off, OEM (0x02-0x10), log event only.</summary>
    public static bool IsDefined(PowerLimitExceptionAction action) => (byte)action <= (byte)PowerLimitExceptionAction.LogEventOnly;

    /// <summary>The action's name, e.g. <c>OEM 0x05</c> for an OEM action.</summary>
    public static string Describe(PowerLimitExceptionAction action) => action switch
    {
        PowerLimitExceptionAction.NoAction => "no action",
        PowerLimitExceptionAction.HardPowerOffAndLogEvent => "hard power off and log event",
        PowerLimitExceptionAction.LogEventOnly => "log event only",
        _ when IsOem(action) => $"OEM 0x{(byte)action:X2}",
        _ => $"undefined 0x{(byte)action:X2}",
    };
}
