namespace EdgeGovernor.Policy.Model;

/// <summary>
/// A rack: its servers, the job classes they run, the PDU budget and the cooling limits.
/// </summary>
/// <remarks>
/// Fans: the fan controller holds a minimum speed (<see cref="FanMinWatts"/>) and adds
/// <see cref="FanWattsPerItWatt"/> W of fan power per W of IT heat to remove. Rack power is
/// <c>IT + FanMinWatts + FanWattsPerItWatt * IT</c>, which must stay within <see cref="BudgetWatts"/>;
/// the IT power must stay within <see cref="ThermalLimitItWatts"/> (the heat the rack's cooling removes at
/// its inlet temperature limit). Both fold into one IT limit, <see cref="ItBudgetWatts"/>.
/// </remarks>
public sealed class RackSpec
{
    private readonly ServerEconomics[] _economics;
    private readonly int[] _group;

    /// <summary>Market intervals the policy can plan at (minutes).</summary>
    public static ReadOnlySpan<int> SupportedIntervals => [5, 15, 30, 60];

    /// <summary>Creates and validates a rack.</summary>
    /// <param name="servers">The servers, in slot order.</param>
    /// <param name="jobClasses">The job classes the servers' indices refer to.</param>
    /// <param name="budgetWatts">PDU budget, fans included (W).</param>
    /// <param name="thermalLimitItWatts">Most IT power the cooling removes (W).</param>
    /// <param name="fanMinWatts">Fan power at minimum speed (W).</param>
    /// <param name="fanWattsPerItWatt">Fan power per W of IT power.</param>
    /// <param name="intervalMinutes">The market interval the policy plans at: 5, 15, 30 or 60 minutes. Every duration of the
    /// servers and classes (whole hours) is a whole number of intervals; a boot must fit in one interval.</param>
    /// <exception cref="ArgumentException">A server, class or limit is invalid, or the budget cannot hold every server at its floor.</exception>
    public RackSpec(
        IReadOnlyList<ServerSpec> servers,
        IReadOnlyList<JobClass> jobClasses,
        double budgetWatts,
        double thermalLimitItWatts,
        double fanMinWatts,
        double fanWattsPerItWatt,
        int intervalMinutes = 60)
    {
        if (!SupportedIntervals.Contains(intervalMinutes))
        {
            throw new ArgumentException($"interval must be 5, 15, 30 or 60 minutes, got {intervalMinutes}");
        }

        IntervalMinutes = intervalMinutes;
        if (servers.Count == 0)
        {
            throw new ArgumentException("a rack needs at least one server");
        }

        if (!(budgetWatts > 0) || !(thermalLimitItWatts > 0) || !(fanMinWatts >= 0) || !(fanWattsPerItWatt >= 0) ||
            !double.IsFinite(budgetWatts) || !double.IsFinite(thermalLimitItWatts) || !double.IsFinite(fanWattsPerItWatt) || !double.IsFinite(fanMinWatts))
        {
            throw new ArgumentException("budget and thermal limit must be positive, fan power non-negative");
        }

        foreach (JobClass c in jobClasses)
        {
            c.Validate();
        }

        Servers = [.. servers];
        JobClasses = [.. jobClasses];
        BudgetWatts = budgetWatts;
        ThermalLimitItWatts = thermalLimitItWatts;
        FanMinWatts = fanMinWatts;
        FanWattsPerItWatt = fanWattsPerItWatt;
        ItBudgetWatts = Math.Min(thermalLimitItWatts, (budgetWatts - fanMinWatts) / (1 + fanWattsPerItWatt));

        _economics = new ServerEconomics[Servers.Count];
        _group = new int[Servers.Count];
        var groups = new List<ServerSpec>();
        double floor = 0;
        for (int i = 0; i < Servers.Count; i++)
        {
            ServerSpec s = Servers[i];
            s.Validate();
            if (s.BootSeconds > intervalMinutes * 60)
            {
                throw new ArgumentException($"server '{s.Name}': boot time {s.BootSeconds} s does not fit in one {intervalMinutes}-minute interval");
            }

            if (s.JobClass < 0 || s.JobClass >= JobClasses.Count)
            {
                throw new ArgumentException($"server '{s.Name}': job class {s.JobClass} does not exist");
            }

            _economics[i] = new ServerEconomics(s, JobClasses[s.JobClass], intervalMinutes);
            int g = groups.IndexOf(s);
            if (g < 0)
            {
                g = groups.Count;
                groups.Add(s);
            }

            _group[i] = g;
            floor += Math.Max(_economics[i].FloorWatts(1), _economics[i].BootWatts);
        }

        GroupCount = groups.Count;
        if (floor > ItBudgetWatts)
        {
            throw new ArgumentException(
                $"the IT budget ({ItBudgetWatts:F0} W after fans and thermal limit) cannot hold every server at its floor ({floor:F0} W)");
        }
    }

    /// <summary>Length of the market interval the policy plans at (minutes: 5, 15, 30 or 60).</summary>
    public int IntervalMinutes { get; }

    /// <summary>Intervals per day (1440 / <see cref="IntervalMinutes"/>; a day is this many intervals of the index, whatever the local clock does).</summary>
    public int IntervalsPerDay => 1440 / IntervalMinutes;

    /// <summary>Intervals per hour.</summary>
    public int IntervalsPerHour => 60 / IntervalMinutes;

    /// <summary>Length of an interval (h).</summary>
    public double IntervalHours => IntervalMinutes / 60.0;

    /// <summary>The servers, in slot order.</summary>
    public IReadOnlyList<ServerSpec> Servers { get; }

    /// <summary>The job classes.</summary>
    public IReadOnlyList<JobClass> JobClasses { get; }

    /// <summary>PDU budget for the whole rack, fans included (W).</summary>
    public double BudgetWatts { get; }

    /// <summary>Most IT power the cooling can remove (W).</summary>
    public double ThermalLimitItWatts { get; }

    /// <summary>Fan power at minimum speed (W); the fans never go below it.</summary>
    public double FanMinWatts { get; }

    /// <summary>Fan power added per W of IT power.</summary>
    public double FanWattsPerItWatt { get; }

    /// <summary>The IT power limit that keeps both the PDU budget and the thermal limit (W).</summary>
    public double ItBudgetWatts { get; }

    /// <summary>Number of distinct (identical spec) server groups; identical servers share optimiser work.</summary>
    public int GroupCount { get; }

    /// <summary>Economics of server <paramref name="i"/>.</summary>
    public ServerEconomics Economics(int i) => _economics[i];

    /// <summary>Group of server <paramref name="i"/> (servers with equal specs share a group).</summary>
    public int Group(int i) => _group[i];

    /// <summary>Fan power the controller must run at for <paramref name="itWatts"/> of IT power (W).</summary>
    public double FanWatts(double itWatts) => FanMinWatts + (FanWattsPerItWatt * Math.Max(0, itWatts));

    /// <summary>EUR per Wh of IT energy at <paramref name="centsPerKwh"/>, fan energy it causes included.</summary>
    public double EurPerItWh(double centsPerKwh) => centsPerKwh * (1 + FanWattsPerItWatt) / 100_000.0;
}
