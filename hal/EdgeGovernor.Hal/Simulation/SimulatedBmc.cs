using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// The simulated server's BMC behind <see cref="IBmc"/>: chassis control drives the power states, the DCMI
/// reading reports the model's power (current, and min/max/average of the last minute), and an active
/// power limit caps the server; if the server cannot hold it (booting above the limit) for longer than the
/// correction time, the exception action applies. Without outlet power the BMC is dead and times out.
/// Completes synchronously.
/// </summary>
public sealed class SimulatedBmc : IBmc
{
    /// <summary>DCMI completion code: power limit out of range.</summary>
    public const byte PowerLimitOutOfRange = 0x84;

    /// <summary>DCMI completion code: correction time out of range.</summary>
    public const byte CorrectionTimeOutOfRange = 0x85;

    /// <summary>DCMI completion code: no power limit set.</summary>
    public const byte NoPowerLimitSet = 0x80;

    private readonly SimulatedServer _server;

    internal SimulatedBmc(SimulatedServer server) => _server = server;

    /// <summary>Number of commands answered.</summary>
    public int Commands { get; private set; }

    /// <inheritdoc/>
    public ValueTask<ChassisStatus> GetChassisStatusAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        return ValueTask.FromResult(new ChassisStatus(
            PowerOn: _server.PowerState != ServerPowerState.Off,
            PowerOverload: false,
            PowerFault: false,
            PowerControlFault: false));
    }

    /// <inheritdoc/>
    public ValueTask ChassisControlAsync(ChassisControl action, CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        if (!Enum.IsDefined(action))
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"chassis control 0x{(byte)action:X2} is not defined");
        }

        _server.Control(action);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<PowerReading> GetPowerReadingAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        (double min, double max, double average) = _server.WindowStatistics;
        return ValueTask.FromResult(new PowerReading(
            CurrentWatts: ToWatts(_server.PowerWatts),
            MinimumWatts: ToWatts(min),
            MaximumWatts: ToWatts(max),
            AverageWatts: ToWatts(average),
            SamplingPeriodMs: 60_000,
            Active: true));
    }

    /// <inheritdoc/>
    public ValueTask<PowerLimit?> GetPowerLimitAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        return ValueTask.FromResult(_server.BmcLimit);
    }

    /// <inheritdoc/>
    public ValueTask SetPowerLimitAsync(PowerLimit limit, CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        if (limit.LimitWatts < _server.Curve.IdleWatts || limit.LimitWatts > Math.Ceiling(_server.Curve.MaxWatts * 2))
        {
            throw new BmcException(BmcErrorKind.CompletionCode, $"power limit {limit.LimitWatts} W out of range {Math.Ceiling(_server.Curve.IdleWatts)}..{Math.Ceiling(_server.Curve.MaxWatts * 2)} W (completion code 0x{PowerLimitOutOfRange:X2})");
        }

        if (limit.CorrectionTimeMs is < 100 or > 600_000)
        {
            throw new BmcException(BmcErrorKind.CompletionCode, $"correction time {limit.CorrectionTimeMs} ms out of range 100..600000 ms (completion code 0x{CorrectionTimeOutOfRange:X2})");
        }

        if (!Enum.IsDefined(limit.ExceptionAction))
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"exception action 0x{(byte)limit.ExceptionAction:X2} is not defined");
        }

        _server.BmcLimit = limit;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ActivatePowerLimitAsync(bool activate, CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        if (activate && _server.BmcLimit is null)
        {
            throw new BmcException(BmcErrorKind.CompletionCode, $"no power limit set (completion code 0x{NoPowerLimitSet:X2})");
        }

        _server.BmcLimitActive = activate;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Enter(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_server.HasAcPower)
        {
            throw new BmcException(BmcErrorKind.Timeout, $"BMC of {_server.Name} does not answer: its outlet is off");
        }

        Commands++;
    }

    private static ushort ToWatts(double watts) => (ushort)Math.Clamp(Math.Round(watts), 0, ushort.MaxValue);
}
