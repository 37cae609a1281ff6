using EdgeGovernor.Firmware.Control;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary><see cref="ServerSlot"/>: the policy's hour model of a switch, power-offs per day, the job's bookkeeping.</summary>
public sealed class ServerSlotTests
{
    private static ServerSlot Slot() => ServerSlot.Create("web-0", 160, 400, 180, powered: true);

    [Fact]
    public void A_power_off_counts_as_unpowered_at_once_and_as_down_from_the_next_hour_against_its_day()
    {
        ServerSlot slot = Slot();
        slot.CycleDay = 100;
        slot.BeginSwitch(2405, on: false);     // day 100, hour 5
        Assert.False(slot.Powered);
        Assert.True(slot.Up);
        Assert.False(slot.Serving(2405));
        slot.CompleteSwitchBefore(2405, 24);        // same hour: nothing yet
        Assert.True(slot.Up);
        slot.CompleteSwitchBefore(2406, 24);
        Assert.False(slot.Up);
        Assert.Equal(2405, slot.Since);
        Assert.Equal(-1, slot.SwitchInterval);
        Assert.Equal(1, slot.CyclesOn(100));
        Assert.Equal(0, slot.CyclesOn(101));
    }

    [Fact]
    public void A_power_on_whose_boot_never_started_is_called_off_at_the_hour_boundary()
    {
        ServerSlot slot = Slot();
        slot.Up = slot.Powered = false;
        slot.BeginSwitch(10, on: true);
        slot.CompleteSwitchBefore(11, 24);
        Assert.False(slot.Up);
        Assert.Equal(-1, slot.SwitchInterval);

        slot.BeginSwitch(12, on: true);
        slot.BootIssued = true;
        slot.CompleteSwitchBefore(13, 24);
        Assert.True(slot.Up);
        Assert.Equal(12, slot.Since);
        Assert.Equal(0, slot.Cycles); // power-ons are not counted against the day
    }

    [Theory]
    [InlineData(3600 - 180 - 600 - 1, 300, false)]
    [InlineData(3600 - 180 - 600, 300, true)]
    [InlineData(3600 - 180 - 2, 0, true)] // a period under a second counts as one
    public void A_boot_starts_when_boot_time_plus_two_periods_are_left_in_the_hour(double secondsIntoHour, double period, bool due) =>
        Assert.Equal(due, Slot().BootDue(secondsIntoHour, period));

    [Fact]
    public void A_job_takes_work_until_done_and_closes_at_its_deadline_with_what_was_left()
    {
        ServerSlot slot = Slot();
        Assert.False(slot.TryCloseJob(1000, out _)); // no job
        slot.ReleaseJob(100, 3.0, 12);
        Assert.Equal(112, slot.JobDeadline);
        Assert.Equal(2.5, slot.TakeJobWork(2.5));
        Assert.Equal(0.5, slot.TakeJobWork(2.5));   // never more than is left
        Assert.Equal(0, slot.TakeJobWork(1));
        slot.ReleaseJob(200, 3.0, 12);
        slot.TakeJobWork(1);
        Assert.False(slot.TryCloseJob(211, out _));
        Assert.True(slot.TryCloseJob(212, out double left));
        Assert.Equal(2.0, left);
        Assert.Equal(0, slot.JobUnits);
        Assert.Equal(0, slot.JobDeadline);
    }
}
