using System.Device.Gpio;
using IRelay = EdgeGovernor.Hal.Gpio.IRelay;
using RelayOptions = EdgeGovernor.Hal.Gpio.RelayOptions;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// A PDU relay on a pin of an I2C expander, driven through System.Device.Gpio's <see cref="GpioController"/>, with the
/// semantics of hal's GPIO <see cref="Gpio.Relay"/>: taken over as found (the level read is latched before the pin becomes an
/// output, so nothing moves), active-low wiring, minimum dwell (counted from the take-over too) and a cap on changes per
/// sliding hour (<see cref="OutletChangeGuard"/>), and the level found recorded in the journal before the first change
/// (kind <see cref="JournalKind"/>, target <c>i2c-1@0x20:3</c>) so that <see cref="AddonRestorer"/> puts it back.
/// </summary>
public sealed class ExpanderRelay : IRelay, IDisposable
{
    /// <summary>The journal kind of expander pins.</summary>
    public const string JournalKind = "i2c-gpio";

    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly string _target;
    private readonly RelayOptions _options;
    private readonly OutletChangeGuard _guard;
    private readonly ActuatorStateJournal? _journal;

    /// <summary>Takes over <paramref name="pin"/> of <paramref name="expander"/>.</summary>
    /// <exception cref="HalException">The pin does not exist (<see cref="HalErrorKind.OutOfRange"/>) or the chip does not answer.</exception>
    public ExpanderRelay(I2cExpander expander, int pin, string name, RelayOptions options, TimeProvider time, ActuatorStateJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(expander);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxTogglesPerHour);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EffectiveDwell, TimeSpan.Zero);
        _target = expander.PinTarget(pin);
        if ((uint)pin >= (uint)expander.PinCount)
        {
            ThrowHelper.ThrowOutOfRange(_target, "pin", pin, 0, expander.PinCount - 1);
        }

        _controller = expander.Controller;
        _pin = pin;
        Name = name;
        _journal = journal;
        try
        {
            _controller.OpenPin(pin);
            FoundLevel = _controller.Read(pin);
            // Latch the level found while the pin may still be an input, then make it an output: no glitch.
            _controller.Write(pin, FoundLevel);
            _controller.SetPinMode(pin, PinMode.Output);
        }
        catch (Exception e)
        {
            if (_controller.IsPinOpen(pin))
            {
                _controller.ClosePin(pin);
            }

            throw AddonErrors.Wrap(e, _target, "taking over");
        }

        _guard = new OutletChangeGuard(options, time);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The options in force.</summary>
    public RelayOptions Options => _options;

    /// <summary>The physical level found when the relay was taken over.</summary>
    public PinValue FoundLevel { get; }

    /// <inheritdoc/>
    public bool ReadIsOn()
    {
        try
        {
            return (_controller.Read(_pin) == PinValue.High) != _options.ActiveLow;
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, _target, "reading");
        }
    }

    /// <inheritdoc/>
    public DateTimeOffset? NextChangeAllowedAt() => _guard.NextAllowedAt();

    /// <inheritdoc/>
    public void Switch(bool on)
    {
        if (ReadIsOn() == on)
        {
            return;
        }

        _guard.Check(Name);
        _journal?.RecordOriginal(JournalKind, _target, FoundLevel == PinValue.High ? "1" : "0");
        try
        {
            _controller.Write(_pin, on != _options.ActiveLow ? PinValue.High : PinValue.Low);
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, _target, "switching");
        }

        _guard.Record();
    }

    /// <summary>Releases the pin; the relay stays where it is (restoring is the journal's job).</summary>
    public void Dispose()
    {
        if (_controller.IsPinOpen(_pin))
        {
            _controller.ClosePin(_pin);
        }
    }
}
