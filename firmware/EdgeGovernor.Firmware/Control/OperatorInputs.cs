using System.Device.Gpio;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Gpio.Drivers;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The GPIO inputs of <c>rack.inputs</c> on the linux backend: fan tachometers (rising edges from the driver's events)
/// and maintenance/alarm lines (level read each period). While any alarm is asserted <see cref="HoldSafePolicy"/> is
/// true and the controller runs the safe policy; each assertion is counted and logged once, its release too. Lines are
/// opened on the chips' controllers of the backend (shared with the outlet relays). Read failures are counted and the
/// alarm keeps its last state.
/// </summary>
internal sealed class OperatorInputs
{
    private readonly (FanTachometer Tach, GpioController Chip, int Line)[] _tachometers;
    private readonly (AlarmInput Alarm, GpioController Chip, int Line)[] _alarms;
    private readonly TimeProvider _time;
    private readonly Logger? _log;
    private readonly long _start;

    /// <summary>Opens every input line: <paramref name="chipOf"/> gives the controller and driver of a chip path.</summary>
    public OperatorInputs(InputsConfig config, Func<string, (GpioController Controller, GpioDriver Driver)> chipOf, TimeProvider time, Logger? log)
    {
        _time = time;
        _log = log;
        _start = time.GetTimestamp();
        _tachometers = new (FanTachometer, GpioController, int)[config.Tachometers.Length];
        _alarms = new (AlarmInput, GpioController, int)[config.Alarms.Length];
        for (int i = 0; i < config.Tachometers.Length; i++)
        {
            TachometerConfig t = config.Tachometers[i];
            var tach = new FanTachometer(t.Name, t.PulsesPerRevolution);
            GpioController chip = Open(chipOf(t.Chip), t.Line, t.Bias, TimeSpan.Zero);
            chip.RegisterCallbackForPinValueChangedEvent(t.Line, PinEventTypes.Rising, tach.Callback);
            _tachometers[i] = (tach, chip, t.Line);
        }

        for (int i = 0; i < config.Alarms.Length; i++)
        {
            AlarmInputConfig a = config.Alarms[i];
            GpioController chip = Open(chipOf(a.Chip), a.Line, a.Bias, TimeSpan.FromMilliseconds(a.DebounceMs));
            _alarms[i] = (new AlarmInput(a.Name, a.ActiveLow), chip, a.Line);
        }
    }

    /// <summary>True while any alarm input is asserted.</summary>
    public bool HoldSafePolicy { get; private set; }

    /// <summary>Failed reads of alarm lines.</summary>
    public long Errors { get; private set; }

    /// <summary>The tachometers, in configuration order.</summary>
    public IEnumerable<FanTachometer> Tachometers => _tachometers.Select(t => t.Tach);

    /// <summary>The alarm inputs, in configuration order.</summary>
    public IEnumerable<AlarmInput> Alarms => _alarms.Select(a => a.Alarm);

    /// <summary>One control period: RPM windows, alarm levels; allocation-free unless an alarm changes (logged).</summary>
    public void Sample()
    {
        TimeSpan now = _time.GetElapsedTime(_start);
        foreach ((FanTachometer tach, _, _) in _tachometers)
        {
            tach.Sample(now);
        }

        bool hold = false;
        foreach ((AlarmInput alarm, GpioController chip, int line) in _alarms)
        {
            try
            {
                switch (alarm.Update(chip.Read(line)))
                {
                    case 1:
                        _log?.Warning($"alarm input {alarm.Name} asserted (assertion {alarm.Assertions}): rack held at its safe policy");
                        break;
                    case -1:
                        _log?.Notice($"alarm input {alarm.Name} released");
                        break;
                }
            }
            catch (HalException)
            {
                Errors++;
            }

            hold |= alarm.Asserted;
        }

        HoldSafePolicy = hold;
    }

    private static GpioController Open((GpioController Controller, GpioDriver Driver) chip, int line, string bias, TimeSpan debounce)
    {
        PinMode mode = bias switch
        {
            "pull-up" => PinMode.InputPullUp,
            "pull-down" => PinMode.InputPullDown,
            _ => PinMode.Input,
        };
        if (chip.Driver is IGpioLineOptionsDriver options)
        {
            options.SetLineOptions(line, new GpioLineOptions(bias == "disabled" ? GpioBias.Disabled : GpioBias.AsIs, Debounce: debounce));
        }

        chip.Controller.OpenPin(line, mode);
        return chip.Controller;
    }
}
