namespace EdgeGovernor.Hal.Addons;

/// <summary>A power monitor on a supply rail or an outlet (e.g. an INA219 behind a shunt).</summary>
public interface IPowerMonitor
{
    /// <summary>A name for logs, e.g. <c>outlet of web-0</c>.</summary>
    string Name { get; }

    /// <summary>Reads voltage, current and power; <see cref="HalException"/> on a bus error or a value the chip cannot produce.</summary>
    ElectricalReading Read();
}
