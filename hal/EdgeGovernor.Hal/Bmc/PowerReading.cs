namespace EdgeGovernor.Hal.Bmc;

/// <summary>DCMI power reading in watts.</summary>
public readonly record struct PowerReading(ushort CurrentWatts, ushort MinimumWatts, ushort MaximumWatts, ushort AverageWatts, uint SamplingPeriodMs, bool Active);
