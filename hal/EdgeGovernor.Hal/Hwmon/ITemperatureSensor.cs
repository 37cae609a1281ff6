namespace EdgeGovernor.Hal.Hwmon;

/// <summary>A temperature sensor (hwmon <c>tempN_input</c>, millidegrees Celsius).</summary>
public interface ITemperatureSensor
{
    /// <summary>A name for logs, e.g. <c>coretemp/temp1</c> or its label.</summary>
    string Name { get; }

    /// <summary>Reads the temperature in millidegrees Celsius.</summary>
    int ReadMillidegreesCelsius();
}
