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
