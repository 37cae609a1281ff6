using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A simulated GPIO chip behind System.Device.Gpio's <see cref="GpioDriver"/>: lines hold a level, a line can be
/// requested once at a time (as the kernel enforces with EBUSY), every level change is reported to
/// <see cref="LineChanged"/> (the rack wires outlet relays to it), and the outside world drives inputs with
/// <see cref="DriveInput"/>, which raises the edge callbacks and wakes <c>WaitForEvent</c> like the kernel's events.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver, IGpioLineOptionsDriver
{
    private readonly object _gate = new();
    private readonly PinValue[] _levels;
    private readonly PinMode?[] _modes;
    private readonly bool[] _requested;
    private readonly GpioLineOptions[] _options;
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Callback)> _callbacks = [];
    private readonly PinValueChangedEventArgs[] _risingArgs;
    private readonly PinValueChangedEventArgs[] _fallingArgs;

    /// <summary>Creates a chip with <paramref name="lines"/> lines, all at <paramref name="initialLevel"/>.</summary>
    public SimulatedGpioDriver(string chipName, int lines, PinValue initialLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        ChipName = chipName;
        _levels = Enumerable.Repeat(initialLevel, lines).ToArray();
        _modes = new PinMode?[lines];
        _requested = new bool[lines];
        _options = Enumerable.Repeat(GpioLineOptions.Default, lines).ToArray();
        _risingArgs = Enumerable.Range(0, lines).Select(p => new PinValueChangedEventArgs(PinEventTypes.Rising, p)).ToArray();
        _fallingArgs = Enumerable.Range(0, lines).Select(p => new PinValueChangedEventArgs(PinEventTypes.Falling, p)).ToArray();
    }

    /// <summary>Called with (line, level) after a level changes.</summary>
    public event Action<int, PinValue>? LineChanged;

    /// <summary>A stable name of the chip for logs and the state file.</summary>
    public string ChipName { get; }

    /// <summary>Number of level changes written so far.</summary>
    public int Writes { get; private set; }

    /// <inheritdoc/>
    protected override int PinCount => _levels.Length;

    /// <summary>The level of a line, whoever holds it.</summary>
    public PinValue Level(int line) => _levels[line];

    /// <summary>The mode last set on a line (null: never set).</summary>
    public PinMode? Mode(int line) => _modes[line];

    /// <summary>True while a controller holds the line.</summary>
    public bool IsRequested(int line) => _requested[line];

    /// <summary>The options last set on a line.</summary>
    public GpioLineOptions Options(int line) => _options[line];

    /// <summary>Edge callbacks registered on a line.</summary>
    public int CallbackCount(int line)
    {
        lock (_gate)
        {
            return _callbacks.Count(c => c.Pin == line);
        }
    }

    /// <summary>
    /// The outside world sets an input line to <paramref name="level"/>: a change raises the callbacks of its edge (on the
    /// caller's thread, as the kernel's event thread would) and wakes waiters. Refused for an output line.
    /// </summary>
    public void DriveInput(int line, PinValue level)
    {
        if (_modes[line] == PinMode.Output)
        {
            throw new InvalidOperationException($"{ChipName} line {line} is an output: the outside cannot drive it");
        }

        if (_levels[line] == level)
        {
            return;
        }

        _levels[line] = level;
        PinEventTypes edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        PinValueChangedEventArgs args = edge == PinEventTypes.Rising ? _risingArgs[line] : _fallingArgs[line];
        (int Pin, PinEventTypes Types, PinChangeEventHandler Callback)[] callbacks;
        lock (_gate)
        {
            callbacks = [.. _callbacks];
            Monitor.PulseAll(_gate);
        }

        foreach ((int pin, PinEventTypes types, PinChangeEventHandler callback) in callbacks)
        {
            if (pin == line && (types & edge) != 0)
            {
                callback(this, args);
            }
        }
    }

    /// <summary><paramref name="count"/> full pulses (rising then falling) on an input line, e.g. a fan's tachometer.</summary>
    public void Pulse(int line, int count)
    {
        for (int i = 0; i < count; i++)
        {
            DriveInput(line, PinValue.High);
            DriveInput(line, PinValue.Low);
        }
    }

    /// <inheritdoc/>
    public void SetLineOptions(int pinNumber, GpioLineOptions options) => _options[pinNumber] = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        if (_requested[pinNumber])
        {
            throw new HalException(HalErrorKind.Busy, $"{ChipName} line {pinNumber} is already requested (EBUSY)", $"{ChipName}:{pinNumber}", LibC.EBUSY);
        }

        _requested[pinNumber] = true;
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        _requested[pinNumber] = false;
        lock (_gate)
        {
            _callbacks.RemoveAll(c => c.Pin == pinNumber);
        }
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode) => SetPinMode(pinNumber, mode, _levels[pinNumber]);

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        _modes[pinNumber] = mode;
        if (mode == PinMode.Output)
        {
            Set(pinNumber, initialValue);
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber] ?? PinMode.Input;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => _levels[pinNumber];

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        if (_modes[pinNumber] != PinMode.Output)
        {
            throw new HalException(HalErrorKind.Rejected, $"line {pinNumber} of {ChipName} is an input: the kernel refused to drive it (EPERM); set it to Output first", $"{ChipName}:{pinNumber}", LibC.EPERM);
        }

        Set(pinNumber, value);
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        PinValue start = _levels[pinNumber];
        lock (_gate)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                PinValue now = _levels[pinNumber];
                if (now != start)
                {
                    PinEventTypes edge = now == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
                    if ((eventTypes & edge) != 0)
                    {
                        return new WaitForEventResult { EventTypes = edge, TimedOut = false };
                    }

                    start = now;
                }

                Monitor.Wait(_gate, 20);
            }
        }

        return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            _callbacks.Add((pinNumber, eventTypes, callback));
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Callback == callback);
        }
    }

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
