using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Restores <c>dcmi</c> and <c>chassis</c> journal entries through the BMC clients, keyed by <c>host:port</c>:
/// a limit found as <c>none</c> is deactivated, a limit found active is set and activated again; a chassis
/// found on (off) is powered on (off) when it is not. Runs synchronously (on stop, or at start after a crash);
/// each command is bounded by the client's timeout and retries. Failures become <see cref="HalException"/>s,
/// so the entry stays in the state file for the next start.
/// </summary>
internal sealed class BmcRestorer(IReadOnlyDictionary<string, (IBmc Bmc, ChassisControl OffAction)> bmcs) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind is BmcAgent.LimitKind or BmcAgent.ChassisKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        if (!bmcs.TryGetValue(state.Target, out (IBmc Bmc, ChassisControl OffAction) entry))
        {
            throw new HalException(HalErrorKind.Missing, $"cannot restore {state.Kind} of BMC {state.Target}: no such BMC in the configuration", state.Target);
        }
        try
        {
            if (state.Kind == BmcAgent.ChassisKind)
            {
                bool on = state.Value switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new HalException(HalErrorKind.Invalid, $"chassis state '{state.Value}' of {state.Target} is not 0 or 1", state.Target),
                };
                if (entry.Bmc.GetChassisStatusAsync().AsTask().GetAwaiter().GetResult().PowerOn != on)
                {
                    entry.Bmc.ChassisControlAsync(on ? ChassisControl.PowerOn : entry.OffAction).AsTask().GetAwaiter().GetResult();
                }
                return;
            }

            if (!BmcAgent.TryParseLimit(state.Value, out PowerLimit? limit))
            {
                throw new HalException(HalErrorKind.Invalid, $"DCMI limit '{state.Value}' of {state.Target} is not in the state file's format", state.Target);
            }
            if (limit is { } l)
            {
                entry.Bmc.SetPowerLimitAsync(l).AsTask().GetAwaiter().GetResult();
                entry.Bmc.ActivatePowerLimitAsync(true).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                entry.Bmc.ActivatePowerLimitAsync(false).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (BmcException e)
        {
            throw new HalException(HalErrorKind.IoError, $"restoring {state.Kind} of BMC {state.Target}: {e.Message}", state.Target, inner: e);
        }
    }
}
