using EdgeGovernor.Hal.Gpio;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A simulated GPIO chip: lines hold a level, a line can be requested once at a time (as the kernel
/// enforces with EBUSY), and every level change is reported to <see cref="LineChanged"/> (the rack wires
/// outlet relays to it).
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly PinValue[] _levels;
    private readonly PinMode?[] _modes;
    private readonly bool[] _requested;

    /// <summary>Creates a chip with <paramref name="lines"/> lines, all at <paramref name="initialLevel"/>.</summary>
    public SimulatedGpioDriver(string chipName, int lines, PinValue initialLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        ChipName = chipName;
        _levels = Enumerable.Repeat(initialLevel, lines).ToArray();
        _modes = new PinMode?[lines];
        _requested = new bool[lines];
    }

    /// <summary>Called with (line, level) after a level changes.</summary>
    public event Action<int, PinValue>? LineChanged;

    /// <inheritdoc/>
    public override string ChipName { get; }

    /// <inheritdoc/>
    public override int PinCount => _levels.Length;

    /// <summary>Number of level changes written so far, per line.</summary>
    public int Writes { get; private set; }

    /// <summary>The level of a line, whoever holds it.</summary>
    public PinValue Level(int line) => _levels[line];

    /// <inheritdoc/>
    protected internal override void OpenPin(int pinNumber)
    {
        if (_requested[pinNumber])
        {
            throw new HalException(HalErrorKind.Busy, $"{ChipName} line {pinNumber} is already requested (EBUSY)", $"{ChipName}:{pinNumber}", LibC.EBUSY);
        }

        _requested[pinNumber] = true;
    }

    /// <inheritdoc/>
    protected internal override void ClosePin(int pinNumber) => _requested[pinNumber] = false;

    /// <inheritdoc/>
    protected internal override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc/>
    protected internal override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        _modes[pinNumber] = mode;
        if (mode == PinMode.Output)
        {
            Set(pinNumber, initialValue);
        }
    }

    /// <inheritdoc/>
    protected internal override PinValue Read(int pinNumber) => _levels[pinNumber];

    /// <inheritdoc/>
    protected internal override void Write(int pinNumber, PinValue value) => Set(pinNumber, value);

    private void Set(int pinNumber, PinValue value)
    {
        if (_levels[pinNumber] == value)
        {
            return;
        }

        _levels[pinNumber] = value;
        Writes++;
        LineChanged?.Invoke(pinNumber, value);
    }
}
