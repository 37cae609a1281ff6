namespace EdgeGovernor.Hal.Addons;

/// <summary>One reading of a power monitor: bus voltage, current through the shunt and power, as the chip computed them.</summary>
public readonly record struct ElectricalReading(double Volts, double Amps, double Watts);
