using System.Device.Gpio;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Gpio;

/// <summary>
/// A relay on one GPIO line of a System.Device.Gpio <see cref="GpioController"/>. On creation it claims the line as-is,
/// reads what it finds, and turns the line into an output at that same level (no glitch: the level is given to the
/// controller before the mode, so the driver requests the output with it). Before the first change it records the physical level it found in
/// the state journal (kind <c>"gpio"</c>). Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class Relay : IRelay, IDisposable
{
    /// <summary>The journal kind of GPIO lines.</summary>
    public const string JournalKind = "gpio";

    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly string _target;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ActuatorStateJournal? _journal;
    private readonly Queue<DateTimeOffset> _recentToggles = new();
    private readonly PinValue _found;
    private DateTimeOffset _lastChange;

    /// <summary>Takes over line <paramref name="pin"/> of <paramref name="controller"/>, the chip named <paramref name="chip"/> in logs and the journal.</summary>
    public Relay(GpioController controller, string chip, int pin, string name, RelayOptions options, TimeProvider time, ActuatorStateJournal? journal = null)
    {
        _controller = controller ?? throw new ArgumentNullException(nameof(controller));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxTogglesPerHour);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EffectiveDwell, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrEmpty(chip);
        Name = name;
        _pin = pin;
        _target = $"{chip}:{pin}";
        _journal = journal;
        if (controller.IsPinOpen(pin))
        {
            throw new HalException(HalErrorKind.Busy, $"relay {name}: line {pin} of {chip} is already open on this controller", _target);
        }

        controller.OpenPin(pin);
        try
        {
            _found = controller.Read(pin);
            controller.Write(pin, _found); // the level the output starts at
            controller.SetPinMode(pin, PinMode.Output);
        }
        catch
        {
            controller.ClosePin(pin);
            throw;
        }

        _lastChange = time.GetUtcNow();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The options in force.</summary>
    public RelayOptions Options => _options;

    /// <summary>The physical level found when the relay was taken over.</summary>
    public PinValue FoundLevel => _found;

    /// <inheritdoc/>
    public bool ReadIsOn() => ToLogical(_controller.Read(_pin));

    /// <inheritdoc/>
    public DateTimeOffset? NextChangeAllowedAt()
    {
        DateTimeOffset now = _time.GetUtcNow();
        Prune(now);
        DateTimeOffset allowed = _lastChange + _options.EffectiveDwell;
        if (_recentToggles.Count >= _options.MaxTogglesPerHour)
        {
            DateTimeOffset byCap = _recentToggles.Peek() + TimeSpan.FromHours(1);
            if (byCap > allowed)
            {
                allowed = byCap;
            }
        }

        return allowed > now ? allowed : null;
    }

    /// <inheritdoc/>
    public void Switch(bool on)
    {
        if (ReadIsOn() == on)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        Prune(now);
        if (now - _lastChange < _options.EffectiveDwell)
        {
            throw new HalException(
                HalErrorKind.RateLimited,
                $"relay {Name}: last change {(now - _lastChange).TotalSeconds:F1} s ago, minimum dwell is {_options.EffectiveDwell.TotalSeconds:F1} s",
                _target);
        }

        if (_recentToggles.Count >= _options.MaxTogglesPerHour)
        {
            throw new HalException(
                HalErrorKind.RateLimited,
                $"relay {Name}: {_recentToggles.Count} changes in the last hour, the cap is {_options.MaxTogglesPerHour}",
                _target);
        }

        _journal?.RecordOriginal(JournalKind, _target, _found == PinValue.High ? "1" : "0");
        _controller.Write(_pin, ToPhysical(on));
        _lastChange = now;
        _recentToggles.Enqueue(now);
    }

    /// <summary>Releases the line; the relay stays where it is (restoring is the journal's job).</summary>
    public void Dispose()
    {
        if (_controller.IsPinOpen(_pin))
        {
            _controller.ClosePin(_pin);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_recentToggles.Count > 0 && now - _recentToggles.Peek() >= TimeSpan.FromHours(1))
        {
            _recentToggles.Dequeue();
        }
    }

    private bool ToLogical(PinValue level) => (level == PinValue.High) != _options.ActiveLow;

    private PinValue ToPhysical(bool on) => on != _options.ActiveLow ? PinValue.High : PinValue.Low;
}
