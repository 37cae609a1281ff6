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

    /// <summary>Creates and validates a rack.</summary>
    /// <exception cref="ArgumentException">A server, class or limit is invalid, or the budget cannot hold every server at its floor.</exception>
    public RackSpec(
        IReadOnlyList<ServerSpec> servers,
        IReadOnlyList<JobClass> jobClasses,
        double budgetWatts,
        double thermalLimitItWatts,
        double fanMinWatts,
        double fanWattsPerItWatt)
    {
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
            if (s.JobClass < 0 || s.JobClass >= JobClasses.Count)
            {
                throw new ArgumentException($"server '{s.Name}': job class {s.JobClass} does not exist");
            }

            _economics[i] = new ServerEconomics(s, JobClasses[s.JobClass]);
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
