namespace EdgeGovernor.Hal.Gpio;

/// <summary>
/// The driver seam under <see cref="GpioController"/> (as in dotnet/iot): the Linux character device
/// driver on a board, the simulated rack's driver elsewhere. Pin numbers are line offsets of one chip.
/// </summary>
public abstract class GpioDriver : IDisposable
{
    /// <summary>A stable name of the chip for logs and the state file, e.g. <c>/dev/gpiochip0</c>.</summary>
    public abstract string ChipName { get; }

    /// <summary>Number of lines of the chip.</summary>
    public abstract int PinCount { get; }

    /// <summary>Claims the line without changing its direction or level.</summary>
    protected internal abstract void OpenPin(int pinNumber);

    /// <summary>Releases the line; the hardware keeps its level.</summary>
    protected internal abstract void ClosePin(int pinNumber);

    /// <summary>Sets the mode; for <see cref="PinMode.Output"/> the line starts at <paramref name="initialValue"/> (no glitch).</summary>
    protected internal abstract void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue);

    /// <summary>True when the driver supports <paramref name="mode"/>.</summary>
    protected internal abstract bool IsPinModeSupported(int pinNumber, PinMode mode);

    /// <summary>Reads the physical level.</summary>
    protected internal abstract PinValue Read(int pinNumber);

    /// <summary>Drives the physical level.</summary>
    protected internal abstract void Write(int pinNumber, PinValue value);

    /// <summary>Releases every line and the chip.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
