using EdgeGovernor.Hal.Hwmon;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A simulated fan: duty (0..255) to target speed (linear to <see cref="MaxRpm"/>, stalled below 10 % duty),
/// reached with a 2 s first-order lag. In automatic mode the fan follows the heat sink temperature
/// (30 % duty at 40 °C or below, 100 % at 75 °C or above).
/// </summary>
public sealed class SimulatedFan : IFan
{
    private const double SpinTimeConstantSeconds = 2;
    private const int StallDuty = 26;
    private FanControlMode _mode = FanControlMode.Automatic;
    private int _manualDuty = 128;
    private int _automaticDuty = 77;
    private double _rpm;

    internal SimulatedFan(string name, int maxRpm)
    {
        Name = name;
        MaxRpm = maxRpm;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Speed at full duty.</summary>
    public int MaxRpm { get; }

    /// <summary>Current speed.</summary>
    public int Rpm => (int)Math.Round(_rpm);

    /// <inheritdoc/>
    public bool HasTachometer => true;

    /// <inheritdoc/>
    public int ReadRpm() => Rpm;

    /// <inheritdoc/>
    public int ReadDuty() => _mode switch
    {
        FanControlMode.FullSpeed => FanValidation.MaxDuty,
        FanControlMode.Manual => _manualDuty,
        _ => _automaticDuty,
    };

    /// <inheritdoc/>
    public FanControlMode ReadMode() => _mode;

    /// <inheritdoc/>
    public void SetMode(FanControlMode mode)
    {
        FanValidation.ValidateMode(Name, mode);
        _mode = mode;
    }

    /// <inheritdoc/>
    public void SetDuty(int duty)
    {
        FanValidation.ValidateDuty(Name, duty);
        _manualDuty = duty;
    }

    internal void Step(double seconds, double heatSinkCelsius, bool powered)
    {
        _automaticDuty = (int)Math.Round(FanValidation.MaxDuty * Math.Clamp(0.3 + (0.7 * (heatSinkCelsius - 40) / 35), 0.3, 1.0));
        int duty = ReadDuty();
        double target = !powered || duty < StallDuty ? 0 : MaxRpm * duty / (double)FanValidation.MaxDuty;
        _rpm += (target - _rpm) * (1 - Math.Exp(-seconds / SpinTimeConstantSeconds));
    }
}
