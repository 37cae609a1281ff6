using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>The <c>ResetType</c> of <c>ComputerSystem.Reset</c> for each chassis control, chosen among those the service lists.</summary>
internal static class RedfishResetTypes
{
    /// <summary>The reset types that carry out <paramref name="action"/>, best first.</summary>
    public static ReadOnlySpan<string> Preferred(ChassisControl action) => action switch
    {
        ChassisControl.PowerOn => On,
        ChassisControl.PowerOff => ForceOff,
        ChassisControl.SoftOff => Graceful,
        ChassisControl.PowerCycle => Cycle,
        ChassisControl.HardReset => Restart,
        _ => default,
    };

    private static readonly string[] On = ["On", "ForceOn"];
    private static readonly string[] ForceOff = ["ForceOff"];
    private static readonly string[] Graceful = ["GracefulShutdown"];
    private static readonly string[] Cycle = ["PowerCycle"];
    private static readonly string[] Restart = ["ForceRestart"];

    /// <summary>The first preferred type the service lists; when it lists none, the first preferred one (the schema's values are all
    /// allowed then). Refused with <see cref="BmcErrorKind.InvalidArgument"/> when the list has none of them.</summary>
    public static string Choose(ChassisControl action, IReadOnlyList<string> offered)
    {
        ReadOnlySpan<string> preferred = Preferred(action);
        if (preferred.IsEmpty)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"chassis control 0x{(byte)action:X2} has no Redfish reset type");
        }

        if (offered.Count == 0)
        {
            return preferred[0];
        }

        foreach (string type in preferred)
        {
            for (int i = 0; i < offered.Count; i++)
            {
                if (offered[i] == type)
                {
                    return type;
                }
            }
        }

        throw new BmcException(BmcErrorKind.InvalidArgument,
            $"Redfish service offers reset types [{string.Join(", ", offered)}], none of which does {action} ({string.Join(" or ", preferred.ToArray())})");
    }
}
