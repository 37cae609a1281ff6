namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A <see cref="TimeProvider"/> that moves only when told to: the simulated rack, the simulator and tests
/// inject it so that one run is reproducible exactly.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <summary>A clock at 2024-01-01T00:00:00Z.</summary>
    public ManualClock()
        : this(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _now;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => _now.UtcTicks;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, TimeSpan.Zero);
        _now += step;
    }
}
