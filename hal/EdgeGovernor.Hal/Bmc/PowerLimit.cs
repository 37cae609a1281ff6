namespace EdgeGovernor.Hal.Bmc;

/// <summary>A DCMI power limit.</summary>
public readonly record struct PowerLimit(ushort LimitWatts, uint CorrectionTimeMs, ushort SamplingPeriodSeconds, PowerLimitExceptionAction ExceptionAction);
