using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Restores <see cref="RedfishPduAgent.OutletKind"/> journal entries (target <c>address#outlet</c>) through the PDU clients,
/// keyed by address: the outlet is switched back when it is not in the state found. Runs synchronously (on stop, or at
/// start after a crash), each request bounded by the client's timeout and retries; failures become
/// <see cref="HalException"/>s, so the entry stays in the state file for the next start.
/// </summary>
internal sealed class RedfishOutletRestorer(IReadOnlyDictionary<string, RedfishPdu> pdus) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind == RedfishPduAgent.OutletKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int hash = state.Target.LastIndexOf('#');
        if (hash <= 0 || !pdus.TryGetValue(state.Target[..hash], out RedfishPdu? pdu))
        {
            throw new HalException(HalErrorKind.Missing, $"cannot restore outlet {state.Target}: no such PDU in the configuration", state.Target);
        }
        bool on = state.Value switch
        {
            "1" => true,
            "0" => false,
            _ => throw new HalException(HalErrorKind.Invalid, $"outlet state '{state.Value}' of {state.Target} is not 0 or 1", state.Target),
        };
        try
        {
            pdu.DiscoverAsync(RedfishPduAgent.Unguarded).AsTask().GetAwaiter().GetResult();
            RedfishOutlet outlet = pdu.Find(state.Target[(hash + 1)..])
                ?? throw new HalException(HalErrorKind.Missing, $"cannot restore outlet {state.Target}: the PDU has no such outlet", state.Target);
            outlet.SwitchAsync(on).AsTask().GetAwaiter().GetResult();
        }
        catch (BmcException e)
        {
            throw new HalException(HalErrorKind.IoError, $"restoring outlet {state.Target}: {e.Message}", state.Target, inner: e);
        }
    }
}
