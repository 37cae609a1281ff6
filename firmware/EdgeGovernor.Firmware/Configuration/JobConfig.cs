namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A job class.</summary>
internal sealed class JobConfig
{
    /// <summary>Name, unique.</summary>
    public string Name { get; set; } = "";

    /// <summary>Value of one unit of work in EUR.</summary>
    public double ValuePerUnitEur { get; set; } = 0.01;

    /// <summary>0 (I/O-bound, power barely matters) .. 1 (CPU-bound, throughput follows power).</summary>
    public double CpuSensitivity { get; set; } = 0.5;

    /// <summary>Share of the rack's servers running this class when <c>rack.servers[].job</c> is not given (0..1; all shares sum to 1).</summary>
    public double Share { get; set; } = 1;

    // ---- deferrable work (the policy's JobClass; "jobs" helper) ----

    /// <summary>
    /// Deferrable: each server of the class gets one job a day (<see cref="WorkHoursPerDay"/> hours of full-load work,
    /// released at <see cref="ReleaseHourOfDay"/>, due <see cref="DeadlineHours"/> later) that the governor runs in the
    /// cheapest hours before its deadline. Otherwise the work is interactive: it comes when it comes.
    /// </summary>
    public bool Deferrable { get; set; }

    /// <summary>Deferrable: hours from release to deadline (a whole number, 1..24).</summary>
    public double DeadlineHours { get; set; } = 24;

    /// <summary>Deferrable: hours of full-load work per server per day (a whole number, 1..deadlineHours).</summary>
    public int WorkHoursPerDay { get; set; } = 8;

    /// <summary>Deferrable: hour of day (market time, 0..23) at which the day's job arrives.</summary>
    public int ReleaseHourOfDay { get; set; }

    /// <summary>Deferrable: penalty per unit of work missing at the deadline (EUR), which makes deadlines hard for the governor.</summary>
    public double MissPenaltyEurPerUnit { get; set; } = 1;
}
