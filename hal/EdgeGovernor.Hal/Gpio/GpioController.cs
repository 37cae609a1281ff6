namespace EdgeGovernor.Hal.Gpio;

/// <summary>
/// A GPIO controller with the API of System.Device.Gpio's <c>GpioController</c> (<see cref="OpenPin(int)"/>,
/// <see cref="SetPinMode"/>, <see cref="Write"/>, <see cref="Read"/>, <see cref="ClosePin"/>), over a
/// <see cref="GpioDriver"/>. Levels are physical: active-low wiring is the business of the device on top
/// (see <see cref="Relay"/>).
/// </summary>
public sealed class GpioController : IDisposable
{
    private readonly Dictionary<int, PinMode?> _openPins = [];
    private readonly bool _ownsDriver;

    /// <summary>Creates a controller over <paramref name="driver"/>.</summary>
    public GpioController(GpioDriver driver, bool ownsDriver = true)
    {
        Driver = driver ?? throw new ArgumentNullException(nameof(driver));
        _ownsDriver = ownsDriver;
    }

    /// <summary>The driver.</summary>
    public GpioDriver Driver { get; }

    /// <summary>Number of lines.</summary>
    public int PinCount => Driver.PinCount;

    /// <summary>Claims <paramref name="pinNumber"/> without changing its direction or level.</summary>
    public void OpenPin(int pinNumber)
    {
        ValidatePin(pinNumber);
        if (_openPins.ContainsKey(pinNumber))
        {
            throw new HalException(HalErrorKind.Busy, $"pin {pinNumber} of {Driver.ChipName} is already open", Target(pinNumber));
        }

        Driver.OpenPin(pinNumber);
        _openPins.Add(pinNumber, null);
    }

    /// <summary>Claims <paramref name="pinNumber"/> and sets its mode.</summary>
    public void OpenPin(int pinNumber, PinMode mode)
    {
        OpenPin(pinNumber);
        SetPinMode(pinNumber, mode);
    }

    /// <summary>Claims <paramref name="pinNumber"/> as output starting at <paramref name="initialValue"/>.</summary>
    public void OpenPin(int pinNumber, PinMode mode, PinValue initialValue)
    {
        OpenPin(pinNumber);
        SetPinMode(pinNumber, mode, initialValue);
    }

    /// <summary>True when the pin is open.</summary>
    public bool IsPinOpen(int pinNumber) => _openPins.ContainsKey(pinNumber);

    /// <summary>The pin's mode, or null when it was opened as-is and never set.</summary>
    public PinMode? GetPinMode(int pinNumber)
    {
        RequireOpen(pinNumber);
        return _openPins[pinNumber];
    }

    /// <summary>Sets the mode; an output keeps the level it reads now (no glitch).</summary>
    public void SetPinMode(int pinNumber, PinMode mode) =>
        SetPinMode(pinNumber, mode, mode == PinMode.Output ? Driver.Read(pinNumber) : PinValue.Low);

    /// <summary>Sets the mode; an output starts at <paramref name="initialValue"/>.</summary>
    public void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        RequireOpen(pinNumber);
        if (!Driver.IsPinModeSupported(pinNumber, mode))
        {
            throw new HalException(HalErrorKind.Rejected, $"{Driver.ChipName} pin {pinNumber} does not support {mode}", Target(pinNumber));
        }

        Driver.SetPinMode(pinNumber, mode, initialValue);
        _openPins[pinNumber] = mode;
    }

    /// <summary>Reads the physical level.</summary>
    public PinValue Read(int pinNumber)
    {
        RequireOpen(pinNumber);
        return Driver.Read(pinNumber);
    }

    /// <summary>Drives the physical level; the pin must be an output.</summary>
    public void Write(int pinNumber, PinValue value)
    {
        RequireOpen(pinNumber);
        if (_openPins[pinNumber] != PinMode.Output)
        {
            throw new HalException(HalErrorKind.Rejected, $"{Driver.ChipName} pin {pinNumber} is not an output", Target(pinNumber));
        }

        Driver.Write(pinNumber, value);
    }

    /// <summary>Releases the pin; the hardware keeps its level.</summary>
    public void ClosePin(int pinNumber)
    {
        RequireOpen(pinNumber);
        Driver.ClosePin(pinNumber);
        _openPins.Remove(pinNumber);
    }

    /// <summary>The state file target of a pin: <c>{chip}:{pin}</c>.</summary>
    public string Target(int pinNumber) => $"{Driver.ChipName}:{pinNumber}";

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (int pin in _openPins.Keys.ToArray())
        {
            Driver.ClosePin(pin);
        }

        _openPins.Clear();
        if (_ownsDriver)
        {
            Driver.Dispose();
        }
    }

    private void ValidatePin(int pinNumber)
    {
        if ((uint)pinNumber >= (uint)Driver.PinCount)
        {
            ThrowHelper.ThrowOutOfRange(Driver.ChipName, "pin", pinNumber, 0, Driver.PinCount - 1);
        }
    }

    private void RequireOpen(int pinNumber)
    {
        if (!_openPins.ContainsKey(pinNumber))
        {
            throw new HalException(HalErrorKind.Missing, $"pin {pinNumber} of {Driver.ChipName} is not open", Target(pinNumber));
        }
    }
}
