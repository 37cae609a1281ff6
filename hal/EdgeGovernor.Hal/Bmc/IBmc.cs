namespace EdgeGovernor.Hal.Bmc;

/// <summary>
/// A server's baseboard management controller: chassis power and DCMI power management.
/// Implemented over IPMI 2.0 / RMCP+ (<c>EdgeGovernor.Hal.Ipmi</c>) and by the simulated rack.
/// Every method reports failures as <see cref="BmcException"/> (timeouts, authentication,
/// completion codes, malformed replies); none hangs past its configured timeout.
/// </summary>
public interface IBmc : IAsyncDisposable
{
    /// <summary>IPMI Get Chassis Status.</summary>
    ValueTask<ChassisStatus> GetChassisStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>IPMI Chassis Control.</summary>
    ValueTask ChassisControlAsync(ChassisControl action, CancellationToken cancellationToken = default);

    /// <summary>DCMI Get Power Reading (system power statistics, mode 1).</summary>
    ValueTask<PowerReading> GetPowerReadingAsync(CancellationToken cancellationToken = default);

    /// <summary>DCMI Get Power Limit. Returns null when no limit is set (completion code 0x80).</summary>
    ValueTask<PowerLimit?> GetPowerLimitAsync(CancellationToken cancellationToken = default);

    /// <summary>DCMI Set Power Limit (does not activate it).</summary>
    ValueTask SetPowerLimitAsync(PowerLimit limit, CancellationToken cancellationToken = default);

    /// <summary>DCMI Activate/Deactivate Power Limit.</summary>
    ValueTask ActivatePowerLimitAsync(bool activate, CancellationToken cancellationToken = default);
}

/// <summary>Chassis Control actions (IPMI v2.0 table 28-4).</summary>
public enum ChassisControl : byte
{
    PowerOff = 0x00,
    PowerOn = 0x01,
    PowerCycle = 0x02,
    HardReset = 0x03,
    SoftOff = 0x05,
}

/// <summary>The part of Get Chassis Status a power manager needs.</summary>
public readonly record struct ChassisStatus(bool PowerOn, bool PowerOverload, bool PowerFault, bool PowerControlFault);

/// <summary>DCMI power reading in watts.</summary>
public readonly record struct PowerReading(ushort CurrentWatts, ushort MinimumWatts, ushort MaximumWatts, ushort AverageWatts, uint SamplingPeriodMs, bool Active);

/// <summary>What the BMC does when the limit cannot be held within the correction time.</summary>
public enum PowerLimitExceptionAction : byte
{
    NoAction = 0x00,
    HardPowerOffAndLogEvent = 0x01,
    LogEventOnly = 0x11,
}

/// <summary>A DCMI power limit.</summary>
public readonly record struct PowerLimit(ushort LimitWatts, uint CorrectionTimeMs, ushort SamplingPeriodSeconds, PowerLimitExceptionAction ExceptionAction);

/// <summary>A BMC operation failed; <see cref="Kind"/> says how.</summary>
public sealed class BmcException(BmcErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public BmcErrorKind Kind { get; } = kind;
}

/// <summary>Why a BMC operation failed.</summary>
public enum BmcErrorKind
{
    Timeout,
    AuthenticationFailed,
    UnsupportedCipherSuite,
    MalformedReply,
    CompletionCode,
    SessionClosed,
    InvalidArgument,
}
