namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// One server's state in <see cref="RackController"/> (one element of an array, changed in place through
/// <c>ref</c>): its configured range, its power state in the policy's interval model (up from the market interval after
/// a switch) and as last commanded, a switch pending in the current interval, its power-offs per day and its
/// deferrable job. Times are absolute market intervals (the index <see cref="Policy.PolicyInput.Interval"/> counts).
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

    /// <summary>Up for the policy this interval.</summary>
    public bool Up;

    /// <summary>Powered (booting or running) as last commanded.</summary>
    public bool Powered;

    /// <summary>Interval the current state began in.</summary>
    public long Since;

    /// <summary>Day (absolute interval / intervals per day) <see cref="Cycles"/> counts for.</summary>
    public long CycleDay;

    /// <summary>Power-offs on <see cref="CycleDay"/>.</summary>
    public int Cycles;

    /// <summary>Interval a switch was decided in (-1: none pending).</summary>
    public long SwitchInterval;

    /// <summary>The pending switch is a power-on.</summary>
    public bool SwitchOn;

    /// <summary>The pending power-on's boot has been started.</summary>
    public bool BootIssued;

    /// <summary>Units of deferrable work left in the current job (0: none).</summary>
    public double JobUnits;

    /// <summary>Absolute interval the current job is due (0: none).</summary>
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
        SwitchInterval = -1,
    };

    /// <summary>Serving in <paramref name="interval"/>: up, powered, and not switched this interval.</summary>
    public readonly bool Serving(long interval) => Up && Powered && SwitchInterval != interval;

    /// <summary>Power-offs so far on <paramref name="day"/>.</summary>
    public readonly int CyclesOn(long day) => day == CycleDay ? Cycles : 0;

    /// <summary>
    /// Interval <paramref name="interval"/> began: a switch decided in an earlier interval takes effect (the state counts
    /// from the interval it was decided in; a power-off counts against its day of <paramref name="intervalsPerDay"/>),
    /// unless it was a boot never started.
    /// </summary>
    public void CompleteSwitchBefore(long interval, int intervalsPerDay)
    {
        if (SwitchInterval < 0 || SwitchInterval >= interval)
        {
            return;
        }
        bool cancelled = SwitchOn && !BootIssued;
        if (!cancelled)
        {
            Up = SwitchOn;
            Since = SwitchInterval;
            if (!SwitchOn)
            {
                long day = SwitchInterval / intervalsPerDay;
                Cycles = day == CycleDay ? Cycles + 1 : 1;
                CycleDay = day;
            }
        }
        SwitchInterval = -1;
    }

    /// <summary>Records a switch decided in <paramref name="interval"/>; a power-off counts as unpowered at once.</summary>
    public void BeginSwitch(long interval, bool on)
    {
        SwitchInterval = interval;
        SwitchOn = on;
        BootIssued = false;
        if (!on)
        {
            Powered = false;
        }
    }

    /// <summary>A job of <paramref name="units"/> released in <paramref name="interval"/>, due <paramref name="deadlineIntervals"/> later.</summary>
    public void ReleaseJob(long interval, double units, int deadlineIntervals)
    {
        JobUnits = units;
        JobDeadline = interval + deadlineIntervals;
    }

    /// <summary>Closes the current job when it is due by <paramref name="interval"/>; <paramref name="unitsLeft"/> is what was not done.</summary>
    public bool TryCloseJob(long interval, out double unitsLeft)
    {
        unitsLeft = JobUnits;
        if (JobDeadline == 0 || interval < JobDeadline)
        {
            return false;
        }
        JobUnits = 0;
        JobDeadline = 0;
        return true;
    }

    /// <summary>
    /// Whether a power-on decided this interval should start its boot now: boot time plus two control periods of
    /// <paramref name="periodSeconds"/> (market time) are left before the interval of <paramref name="intervalSeconds"/> ends.
    /// </summary>
    public readonly bool BootDue(double secondsIntoInterval, double periodSeconds, double intervalSeconds = 3600) =>
        secondsIntoInterval >= intervalSeconds - Math.Min(intervalSeconds, BootSeconds + (2 * Math.Max(1, periodSeconds)));

    /// <summary>Takes up to <paramref name="units"/> off the current job; returns the units counted against it.</summary>
    public double TakeJobWork(double units)
    {
        units = Math.Min(units, JobUnits);
        JobUnits -= units;
        return units;
    }
}
