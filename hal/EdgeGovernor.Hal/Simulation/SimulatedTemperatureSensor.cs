using EdgeGovernor.Hal.Hwmon;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>A simulated temperature sensor reading a value of the model.</summary>
public sealed class SimulatedTemperatureSensor(string name, Func<double> celsius) : ITemperatureSensor
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public int ReadMillidegreesCelsius() => (int)Math.Round(celsius() * 1000);
}
