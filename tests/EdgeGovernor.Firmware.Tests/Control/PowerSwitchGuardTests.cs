using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="PowerSwitchGuard"/>, the chassis' own protection (hal's relay rules): a minimum dwell between changes,
/// counted from when the firmware took the server over, and a cap on changes in any sliding hour. Protected servers
/// are refused before the guard is asked (<c>LinuxHardwareActuatorTests</c>).
/// </summary>
public sealed class PowerSwitchGuardTests
{
    private static readonly TimeSpan Dwell = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_dwell_runs_from_the_takeover_and_from_every_change()
    {
        var clock = new ManualClock();
        var guard = new PowerSwitchGuard(Dwell, 4, clock);
        Assert.Contains("minimum dwell is 120.0 s", guard.Refusal());
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Contains("last change 119.0 s ago", guard.Refusal());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(guard.Refusal());

        guard.Record();
        Assert.NotNull(guard.Refusal());
        clock.Advance(Dwell);
        Assert.Null(guard.Refusal());
    }

    [Fact]
    public void Asking_is_not_a_change()
    {
        var clock = new ManualClock();
        var guard = new PowerSwitchGuard(TimeSpan.Zero, 1, clock);
        for (int i = 0; i < 10; i++)
        {
            Assert.Null(guard.Refusal());
        }
        guard.Record();
        Assert.Equal("1 changes in the last hour, the cap is 1", guard.Refusal());
    }

    [Fact]
    public void The_toggle_cap_counts_changes_in_a_sliding_hour()
    {
        var clock = new ManualClock();
        var guard = new PowerSwitchGuard(Dwell, 3, clock);
        clock.Advance(Dwell);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(guard.Refusal());
            guard.Record();              // at 2, 12 and 22 minutes
            clock.Advance(TimeSpan.FromMinutes(10));
        }
        Assert.Equal("3 changes in the last hour, the cap is 3", guard.Refusal());
        clock.Advance(TimeSpan.FromMinutes(29));   // 61 min: the first change is 59 min old
        Assert.NotNull(guard.Refusal());
        clock.Advance(TimeSpan.FromMinutes(1));    // 62 min: the first change left the hour
        Assert.Null(guard.Refusal());
        guard.Record();
        Assert.NotNull(guard.Refusal());           // dwell again, and three in the hour again
        clock.Advance(Dwell);
        Assert.Equal("3 changes in the last hour, the cap is 3", guard.Refusal());
    }

    [Fact]
    public void A_cap_of_no_changes_or_no_clock_is_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PowerSwitchGuard(Dwell, 0, new ManualClock()));
        Assert.Throws<ArgumentNullException>(() => new PowerSwitchGuard(Dwell, 4, null!));
    }
}
