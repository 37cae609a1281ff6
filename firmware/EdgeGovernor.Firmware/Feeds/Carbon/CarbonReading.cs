namespace EdgeGovernor.Firmware.Feeds.Carbon;

/// <summary>The grid's carbon intensity over one interval of market time.</summary>
/// <param name="Start">Start of the interval (market time).</param>
/// <param name="End">End of the interval (exclusive).</param>
/// <param name="KgPerKwh">kg CO2(eq) per kWh.</param>
internal readonly record struct CarbonReading(DateTime Start, DateTime End, double KgPerKwh);
