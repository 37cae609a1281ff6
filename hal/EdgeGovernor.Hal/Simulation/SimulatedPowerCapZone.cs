using EdgeGovernor.Hal.PowerCap;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// The simulated RAPL package zone of a server. Its energy counter wraps at <see cref="MaxEnergyRangeMicrojoules"/>
/// like the kernel's; its long-term limit caps the server's power while enabled. Range checks are those of
/// the sysfs zone; <see cref="Locked"/> makes writes fail as a BIOS-locked zone does.
/// </summary>
public sealed class SimulatedPowerCapZone : IPowerCapZone
{
    private readonly SimulatedServer _server;
    private readonly long[] _limits;
    private readonly long[] _windows;
    private bool _enabled = true;

    internal SimulatedPowerCapZone(SimulatedServer server, string id, string name, long maxEnergyRangeMicrojoules)
    {
        _server = server;
        Id = id;
        Name = name;
        MaxEnergyRangeMicrojoules = maxEnergyRangeMicrojoules;
        long max = (long)Math.Ceiling(server.Curve.MaxWatts * 1e6);
        Constraints =
        [
            new PowerCapConstraintInfo(0, PowerCapConstraintInfo.LongTerm, max),
            new PowerCapConstraintInfo(1, PowerCapConstraintInfo.ShortTerm, max),
        ];
        _limits = [max, max];
        _windows = [1_000_000, 2_440];
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long MaxEnergyRangeMicrojoules { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PowerCapConstraintInfo> Constraints { get; }

    /// <summary>When true, every write fails with <see cref="HalErrorKind.Locked"/>, as on a BIOS-locked platform.</summary>
    public bool Locked { get; set; }

    /// <inheritdoc/>
    public bool IsLocked { get; private set; }

    /// <inheritdoc/>
    public long ReadEnergyMicrojoules() => _server.EnergyMicrojoulesTotal % MaxEnergyRangeMicrojoules;

    /// <inheritdoc/>
    public bool ReadEnabled() => _enabled;

    /// <inheritdoc/>
    public void SetEnabled(bool enabled)
    {
        RefuseIfLocked();
        _enabled = enabled;
    }

    /// <inheritdoc/>
    public long ReadPowerLimitMicrowatts(int constraint) => _limits[this.GetConstraint(constraint).Index];

    /// <inheritdoc/>
    public long ReadTimeWindowMicroseconds(int constraint) => _windows[this.GetConstraint(constraint).Index];

    /// <inheritdoc/>
    public void SetPowerLimitMicrowatts(int constraint, long microwatts)
    {
        this.ValidatePowerLimit(constraint, microwatts);
        RequireEnabled();
        RefuseIfLocked();
        _limits[constraint] = microwatts;
    }

    /// <inheritdoc/>
    public void SetTimeWindowMicroseconds(int constraint, long microseconds)
    {
        this.ValidateTimeWindow(constraint, microseconds);
        RequireEnabled();
        RefuseIfLocked();
        _windows[constraint] = microseconds;
    }

    private void RequireEnabled()
    {
        if (!_enabled)
        {
            throw new HalException(HalErrorKind.Disabled, $"power limiting of {Id} ({Name}) is disabled", Id);
        }
    }

    private void RefuseIfLocked()
    {
        if (Locked)
        {
            IsLocked = true;
            throw new HalException(HalErrorKind.Locked, $"{Id} ({Name}) is locked by the firmware", Id, LibC.EACCES);
        }
    }
}
