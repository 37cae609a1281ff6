using System.Device.Gpio;
using Iot.Device.Pca95x4;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// A System.Device.Gpio <see cref="GpioDriver"/> over a PCA9534/PCA9554 (<see cref="Pca95x4"/>, which the binding does not
/// offer as a driver): Configuration register bit 1 = input, Output Port register = the output latch, Input Port = the pin
/// levels. Opening a pin touches nothing; polarity inversion is left as found.
/// </summary>
internal sealed class Pca95x4Driver(Pca95x4 chip) : GpioDriver
{
    private const int Pins = 8;

    protected override int PinCount => Pins;

    protected override void OpenPin(int pinNumber) => Validate(pinNumber);

    protected override void ClosePin(int pinNumber) => Validate(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        Validate(pinNumber);
        if (mode is not (PinMode.Input or PinMode.Output))
        {
            throw new ArgumentException($"PCA95x4 pins are inputs or outputs, not {mode}", nameof(mode));
        }

        chip.WriteBit(Register.Configuration, pinNumber, mode == PinMode.Input);
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        Validate(pinNumber);
        return chip.ReadBit(Register.Configuration, pinNumber) ? PinMode.Input : PinMode.Output;
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output;

    protected override PinValue Read(int pinNumber)
    {
        Validate(pinNumber);
        return chip.ReadBit(Register.InputPort, pinNumber);
    }

    protected override void Toggle(int pinNumber) => Write(pinNumber, !Read(pinNumber));

    protected override void Write(int pinNumber, PinValue value)
    {
        Validate(pinNumber);
        chip.WriteBit(Register.OutputPort, pinNumber, value == PinValue.High);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the PCA95x4 driver does not report pin events");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the PCA95x4 driver does not report pin events");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the PCA95x4 driver does not report pin events");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            chip.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void Validate(int pinNumber) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)pinNumber, (uint)Pins, nameof(pinNumber));
}
