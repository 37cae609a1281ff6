using System.Globalization;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.State;
using Iot.Device.Pwm;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// A fan on one PWM channel (0..15) of a PCA9685 (<see cref="Pca9685"/> binding), as an <see cref="IFan"/>: duty 0..255
/// maps onto the channel's duty cycle 0..1 (the chip's 12-bit on/off counts); there is no tachometer and no automatic mode
/// (the fan runs at what it is given; <see cref="FanControlMode.Manual"/> always). Before the first change the duty cycle
/// found is recorded in the journal (kind <see cref="JournalKind"/>, target <c>i2c-1@0x40/3</c>, the cycle 0..1).
/// </summary>
public sealed class Pca9685Fan : IFan
{
    /// <summary>The journal kind of PCA9685 channels.</summary>
    public const string JournalKind = "pca9685";

    /// <summary>Channels of a PCA9685.</summary>
    public const int Channels = 16;

    private readonly Pca9685 _chip;
    private readonly int _channel;
    private readonly string _target;
    private readonly ActuatorStateJournal? _journal;
    private readonly double _found;

    /// <summary>Takes over <paramref name="channel"/> of <paramref name="chip"/> (reading the duty cycle found).</summary>
    /// <param name="chip">The binding (shared by the chip's fans; its owner disposes it).</param>
    /// <param name="chipTarget"><c>i2c-1@0x40</c>.</param>
    /// <param name="channel">0..15.</param>
    /// <param name="name">Name for logs.</param>
    /// <param name="journal">Journal of originals.</param>
    public Pca9685Fan(Pca9685 chip, string chipTarget, int channel, string name, ActuatorStateJournal? journal = null)
    {
        _chip = chip ?? throw new ArgumentNullException(nameof(chip));
        _target = ChannelTarget(chipTarget, channel);
        if ((uint)channel >= Channels)
        {
            ThrowHelper.ThrowOutOfRange(_target, "PWM channel", channel, 0, Channels - 1);
        }

        _channel = channel;
        _journal = journal;
        Name = name;
        _found = ReadCycle();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool HasTachometer => false;

    /// <summary>The journal target of a channel: <c>i2c-1@0x40/3</c>.</summary>
    public static string ChannelTarget(string chipTarget, int channel) => string.Create(CultureInfo.InvariantCulture, $"{chipTarget}/{channel}");

    /// <inheritdoc/>
    public int ReadRpm() => throw new HalException(HalErrorKind.Missing, $"fan {Name} ({_target}) has no tachometer", _target);

    /// <inheritdoc/>
    public int ReadDuty() => (int)Math.Round(ReadCycle() * FanValidation.MaxDuty);

    /// <inheritdoc/>
    public FanControlMode ReadMode() => FanControlMode.Manual;

    /// <inheritdoc/>
    public void SetMode(FanControlMode mode)
    {
        FanValidation.ValidateMode(Name, mode);
        if (mode != FanControlMode.Manual)
        {
            throw new HalException(HalErrorKind.Rejected, $"fan {Name} ({_target}): a PCA9685 channel has only manual control, not {mode}", _target);
        }
    }

    /// <inheritdoc/>
    public void SetDuty(int duty)
    {
        FanValidation.ValidateDuty(Name, duty);
        _journal?.RecordOriginal(JournalKind, _target, _found.ToString("R", CultureInfo.InvariantCulture));
        WriteCycle(_chip, _channel, (double)duty / FanValidation.MaxDuty, _target);
    }

    /// <summary>Writes a duty cycle 0..1 to a channel (also what the restorer does).</summary>
    internal static void WriteCycle(Pca9685 chip, int channel, double cycle, string target)
    {
        try
        {
            chip.SetDutyCycle(channel, cycle);
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, target, "setting the duty cycle of");
        }
    }

    private double ReadCycle()
    {
        double cycle;
        try
        {
            cycle = _chip.GetDutyCycle(_channel);
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, _target, "reading the duty cycle of");
        }

        if (!(cycle is >= 0 and <= 1))
        {
            throw AddonErrors.OutOfPhysicalRange(_target, "duty cycle", cycle, 0, 1);
        }

        return cycle;
    }
}
