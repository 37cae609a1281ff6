using System.Device.Gpio;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Gpio;

/// <summary>
/// Restores <c>"gpio"</c> entries (<c>{chip}:{line}</c> = physical level) through a System.Device.Gpio controller of
/// the chip named <paramref name="chip"/>.
/// Restoring bypasses the relay's dwell and toggle cap: it puts back what was found when the firmware stops.
/// </summary>
public sealed class GpioRestorer(GpioController controller, string chip) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind == Relay.JournalKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        int colon = state.Target.LastIndexOf(':');
        if (colon <= 0
            || state.Target[..colon] != chip
            || !int.TryParse(state.Target.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pin)
            || state.Value is not ("0" or "1"))
        {
            throw new HalException(HalErrorKind.Garbage, $"cannot restore gpio entry {state.Target}={state.Value} through {chip}", state.Target);
        }

        PinValue level = state.Value == "1" ? PinValue.High : PinValue.Low;
        if (controller.IsPinOpen(pin))
        {
            controller.Write(pin, level); // an output is driven now; otherwise it starts at this level
            if (controller.GetPinMode(pin) != PinMode.Output)
            {
                controller.SetPinMode(pin, PinMode.Output);
            }
            return;
        }

        controller.OpenPin(pin, PinMode.Output, level);
        controller.ClosePin(pin);
    }
}
