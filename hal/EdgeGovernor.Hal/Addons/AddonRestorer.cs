using System.Globalization;
using EdgeGovernor.Hal.State;
using Iot.Device.Pwm;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// Restores the journal entries of board add-ons: expander pins (<see cref="ExpanderRelay.JournalKind"/>,
/// <c>i2c-1@0x20:3</c> = physical level, written as an output; bypasses dwell and cap) and PCA9685 channels
/// (<see cref="Pca9685Fan.JournalKind"/>, <c>i2c-1@0x40/3</c> = duty cycle 0..1), through the open expanders and PWM chips
/// (keyed by their target, <c>i2c-1@0x20</c>).
/// </summary>
public sealed class AddonRestorer(IReadOnlyDictionary<string, I2cExpander> expanders, IReadOnlyDictionary<string, Pca9685> pwmChips) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind is ExpanderRelay.JournalKind or Pca9685Fan.JournalKind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        char separator = state.Kind == ExpanderRelay.JournalKind ? ':' : '/';
        int at = state.Target.LastIndexOf(separator);
        if (at <= 0 || !int.TryParse(state.Target.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new HalException(HalErrorKind.Garbage, $"cannot restore {state.Kind} entry {state.Target}={state.Value}: not a device target", state.Target);
        }

        string chip = state.Target[..at];
        if (state.Kind == ExpanderRelay.JournalKind)
        {
            if (!expanders.TryGetValue(chip, out I2cExpander? expander) || state.Value is not ("0" or "1") || (uint)index >= (uint)expander.PinCount)
            {
                throw new HalException(HalErrorKind.Missing, $"cannot restore {state.Target}={state.Value}: no such expander pin is configured", state.Target);
            }

            RestorePin(expander, index, state.Value == "1");
            return;
        }

        if (!pwmChips.TryGetValue(chip, out Pca9685? pwm)
            || !double.TryParse(state.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double cycle) || !(cycle is >= 0 and <= 1)
            || (uint)index >= Pca9685Fan.Channels)
        {
            throw new HalException(HalErrorKind.Missing, $"cannot restore {state.Target}={state.Value}: no such PCA9685 channel is configured, or the cycle is not 0..1", state.Target);
        }

        Pca9685Fan.WriteCycle(pwm, index, cycle, state.Target);
    }

    private static void RestorePin(I2cExpander expander, int pin, bool high)
    {
        System.Device.Gpio.GpioController controller = expander.Controller;
        System.Device.Gpio.PinValue level = high ? System.Device.Gpio.PinValue.High : System.Device.Gpio.PinValue.Low;
        try
        {
            bool wasOpen = controller.IsPinOpen(pin);
            if (!wasOpen)
            {
                controller.OpenPin(pin);
            }

            controller.Write(pin, level);
            controller.SetPinMode(pin, System.Device.Gpio.PinMode.Output);
            if (!wasOpen)
            {
                controller.ClosePin(pin);
            }
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, expander.PinTarget(pin), "restoring");
        }
    }
}
