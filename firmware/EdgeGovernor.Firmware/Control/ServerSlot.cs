namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// One server's state in <see cref="RackController"/> (one element of an array, changed in place through
/// <c>ref</c>): its configured range, its power state in the policy's hour model (up from the hour after a
/// switch) and as last commanded, a switch pending in the current hour, its power-offs per day and its
/// deferrable job.
/// </summary>
internal struct ServerSlot
{
    /// <summary>Name for logs (<c>{group}-{k}</c>).</summary>
    public string Name;

    /// <summary>Minimum cap, watts.</summary>
    public double CapMin;

    /// <summary>Maximum (uncapped) draw, watts.</summary>
    public double CapMax;

    /// <summary>Power-on to serving, seconds of market time.</summary>
    public double BootSeconds;

    /// <summary>Interactive demand of the current step, fraction of full throughput.</summary>
    public double Demand;

    /// <summary>Up for the policy this hour.</summary>
    public bool Up;

    /// <summary>Powered (booting or running) as last commanded.</summary>
    public bool Powered;

    /// <summary>Hour the current state began.</summary>
    public long Since;

    /// <summary>Day (absolute hour / 24) <see cref="Cycles"/> counts for.</summary>
    public long CycleDay;

    /// <summary>Power-offs on <see cref="CycleDay"/>.</summary>
    public int Cycles;

    /// <summary>Hour a switch was decided in (-1: none pending).</summary>
    public long SwitchHour;

    /// <summary>The pending switch is a power-on.</summary>
    public bool SwitchOn;

    /// <summary>The pending power-on's boot has been started.</summary>
    public bool BootIssued;

    /// <summary>Units of deferrable work left in the current job (0: none).</summary>
    public double JobUnits;

    /// <summary>Absolute hour the current job is due (0: none).</summary>
    public long JobDeadline;

    /// <summary>A powered, up server with its configured range, no switch pending and no job.</summary>
    public static ServerSlot Create(string name, double capMin, double capMax, double bootSeconds, bool powered) => new()
    {
        Name = name,
        CapMin = capMin,
        CapMax = capMax,
        BootSeconds = bootSeconds,
        Up = powered,
        Powered = powered,
        SwitchHour = -1,
    };

    /// <summary>Serving in <paramref name="hour"/>: up, powered, and not switched this hour.</summary>
    public readonly bool Serving(long hour) => Up && Powered && SwitchHour != hour;

    /// <summary>Power-offs so far on <paramref name="day"/>.</summary>
    public readonly int CyclesOn(long day) => day == CycleDay ? Cycles : 0;

    /// <summary>
    /// Hour <paramref name="hour"/> began: a switch decided in an earlier hour takes effect (the state counts from
    /// the hour it was decided in; a power-off counts against its day), unless it was a boot never started.
    /// </summary>
    public void CompleteSwitchBefore(long hour)
    {
        if (SwitchHour < 0 || SwitchHour >= hour)
        {
            return;
        }
        bool cancelled = SwitchOn && !BootIssued;
        if (!cancelled)
        {
            Up = SwitchOn;
            Since = SwitchHour;
            if (!SwitchOn)
            {
                long day = SwitchHour / 24;
                Cycles = day == CycleDay ? Cycles + 1 : 1;
                CycleDay = day;
            }
        }
        SwitchHour = -1;
    }

    /// <summary>Records a switch decided in <paramref name="hour"/>; a power-off counts as unpowered at once.</summary>
    public void BeginSwitch(long hour, bool on)
    {
        SwitchHour = hour;
        SwitchOn = on;
        BootIssued = false;
        if (!on)
        {
            Powered = false;
        }
    }

    /// <summary>A job of <paramref name="units"/> released in <paramref name="hour"/>, due <paramref name="deadlineHours"/> later.</summary>
    public void ReleaseJob(long hour, double units, int deadlineHours)
    {
        JobUnits = units;
        JobDeadline = hour + deadlineHours;
    }

    /// <summary>Closes the current job when it is due by <paramref name="hour"/>; <paramref name="unitsLeft"/> is what was not done.</summary>
    public bool TryCloseJob(long hour, out double unitsLeft)
    {
        unitsLeft = JobUnits;
        if (JobDeadline == 0 || hour < JobDeadline)
        {
            return false;
        }
        JobUnits = 0;
        JobDeadline = 0;
        return true;
    }

    /// <summary>
    /// Whether a power-on decided this hour should start its boot now: boot time plus two control periods of
    /// <paramref name="periodSeconds"/> (market time) are left before the hour ends.
    /// </summary>
    public readonly bool BootDue(double secondsIntoHour, double periodSeconds) =>
        secondsIntoHour >= 3600 - Math.Min(3600, BootSeconds + (2 * Math.Max(1, periodSeconds)));

    /// <summary>Takes up to <paramref name="units"/> off the current job; returns the units counted against it.</summary>
    public double TakeJobWork(double units)
    {
        units = Math.Min(units, JobUnits);
        JobUnits -= units;
        return units;
    }
}
