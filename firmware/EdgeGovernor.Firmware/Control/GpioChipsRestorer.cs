using System.Device.Gpio;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Control;

/// <summary>Restores <c>gpio</c> journal entries (<c>{chip}:{line}</c>) through the controller of their chip.</summary>
internal sealed class GpioChipsRestorer(IReadOnlyDictionary<string, GpioController> chips) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind == Relay.JournalKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        int colon = state.Target.LastIndexOf(':');
        if (colon <= 0 || !chips.TryGetValue(state.Target[..colon], out GpioController? chip))
        {
            throw new HalException(HalErrorKind.Missing, $"cannot restore {state.Target}: its GPIO chip is not configured", state.Target);
        }
        new GpioRestorer(chip, state.Target[..colon]).Restore(state);
    }
}
