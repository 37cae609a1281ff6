using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// An <see cref="IBmc"/> in memory for the BMC agent's tests: a chassis, a DCMI limit and a power reading, every
/// command logged; it can stop answering (<see cref="Silent"/>: a timeout on every command), refuse limits with a
/// completion code, or fail the next chassis commands. Thread-safe: the agent calls it from its own loop.
/// </summary>
internal sealed class FakeBmc : IBmc
{
    private readonly Lock _gate = new();
    private readonly List<string> _commands = [];
    private bool _powerOn = true;
    private PowerLimit? _limit;
    private bool _limitActive;
    private int _failChassis;

    public FakeBmc(bool powerOn = true, PowerLimit? activeLimit = null)
    {
        _powerOn = powerOn;
        _limit = activeLimit;
        _limitActive = activeLimit is not null;
    }

    /// <summary>Every command answers with a timeout while set.</summary>
    public volatile bool Silent;

    /// <summary>Set Power Limit answers with this completion code when not zero.</summary>
    public volatile byte RefuseLimitWith;

    /// <summary>Draw reported by Get Power Reading, watts.</summary>
    public volatile ushort Watts = 150;

    public bool PowerOn
    {
        get { lock (_gate) { return _powerOn; } }
    }

    /// <summary>The limit in force (null when none is active).</summary>
    public PowerLimit? ActiveLimit
    {
        get { lock (_gate) { return _limitActive ? _limit : null; } }
    }

    public string[] Commands
    {
        get { lock (_gate) { return [.. _commands]; } }
    }

    /// <summary>The next <paramref name="count"/> chassis commands time out.</summary>
    public void FailChassisCommands(int count)
    {
        lock (_gate)
        {
            _failChassis = count;
        }
    }

    public ValueTask<ChassisStatus> GetChassisStatusAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer("status");
            return ValueTask.FromResult(new ChassisStatus(_powerOn, false, false, false));
        }
    }

    public ValueTask ChassisControlAsync(ChassisControl action, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer($"chassis {action}");
            if (_failChassis > 0)
            {
                _failChassis--;
                throw new BmcException(BmcErrorKind.Timeout, "no reply to Chassis Control");
            }
            _powerOn = action == ChassisControl.PowerOn;
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<PowerReading> GetPowerReadingAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer("reading");
            return ValueTask.FromResult(new PowerReading(Watts, Watts, Watts, Watts, 1000, true));
        }
    }

    public ValueTask<PowerLimit?> GetPowerLimitAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer("get-limit");
            return ValueTask.FromResult(_limitActive ? _limit : null);
        }
    }

    public ValueTask SetPowerLimitAsync(PowerLimit limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer($"set-limit {limit.LimitWatts}");
            if (RefuseLimitWith != 0)
            {
                throw new BmcException(BmcErrorKind.CompletionCode, $"completion code 0x{RefuseLimitWith:X2}");
            }
            _limit = limit;
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask ActivatePowerLimitAsync(bool activate, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Answer($"activate {activate}");
            _limitActive = activate;
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Answer(string command)
    {
        if (Silent)
        {
            throw new BmcException(BmcErrorKind.Timeout, $"no reply to {command}");
        }
        _commands.Add(command);
    }
}
