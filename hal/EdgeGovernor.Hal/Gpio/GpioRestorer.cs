using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Gpio;

/// <summary>
/// Restores <c>"gpio"</c> entries (<c>{chip}:{line}</c> = physical level) through a controller of that chip.
/// Restoring bypasses the relay's dwell and toggle cap: it puts back what was found when the firmware stops.
/// </summary>
public sealed class GpioRestorer(GpioController controller) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind == Relay.JournalKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        int colon = state.Target.LastIndexOf(':');
        if (colon <= 0
            || state.Target[..colon] != controller.Driver.ChipName
            || !int.TryParse(state.Target.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pin)
            || state.Value is not ("0" or "1"))
        {
            throw new HalException(HalErrorKind.Garbage, $"cannot restore gpio entry {state.Target}={state.Value} through {controller.Driver.ChipName}", state.Target);
        }

        PinValue level = state.Value == "1";
        if (controller.IsPinOpen(pin))
        {
            if (controller.GetPinMode(pin) != PinMode.Output)
            {
                controller.SetPinMode(pin, PinMode.Output, level);
            }

            controller.Write(pin, level);
            return;
        }

        controller.OpenPin(pin, PinMode.Output, level);
        controller.ClosePin(pin);
    }
}
