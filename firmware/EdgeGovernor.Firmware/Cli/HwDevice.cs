namespace EdgeGovernor.Firmware.Cli;

/// <summary>One device of <c>edgegov hw</c>'s listing.</summary>
/// <param name="Kind"><c>rapl-zone</c>, <c>cpufreq-policy</c>, <c>fan</c>, <c>sensor</c>, <c>gpio-outlet</c>, <c>ipmi-bmc</c>, <c>redfish-bmc</c>, <c>redfish-outlet</c>, or for the I2C add-ons <c>i2c-expander</c>, <c>expander-outlet</c>, <c>pwm-fan</c>, <c>i2c-sensor</c>, <c>power-monitor</c>.</param>
/// <param name="Name">The device (sysfs name, or the server it belongs to and where it is reached).</param>
/// <param name="Present">Whether it was found and answered.</param>
/// <param name="Readings">What was read (nulls where the device has no such reading or it failed).</param>
/// <param name="Detail">Other readings in words (frequency, fan speed, temperature, energy), or null.</param>
/// <param name="Error">Why it is not present or a reading failed, in words; null when all went well.</param>
internal sealed record HwDevice(string Kind, string Name, bool Present, HwReadings Readings, string? Detail, string? Error);
