namespace EdgeGovernor.Policy.Model;

/// <summary>
/// One server in a rack: its measured power curve, what it delivers, what its power cap may be set to,
/// what a power cycle costs and which rules restrict power cycling.
/// </summary>
/// <param name="Name">Label used in reports.</param>
/// <param name="Curve">SPECpower-style curve (W at idle and 10 %..100 % load).</param>
/// <param name="ThroughputPerHour">Units of work per hour at 100 % load.</param>
/// <param name="CapMinWatts">Lowest power cap the server accepts (W). Below the idle power it just means "no cap below idle".</param>
/// <param name="CapMaxWatts">Highest useful power cap (W); at most the full-load power.</param>
/// <param name="BootSeconds">Boot time; a boot occupies the whole hour it starts in, so at most 3600 s.</param>
/// <param name="BootEnergyWh">Energy of one power cycle (shutdown + boot), drawn in the boot hour (Wh).</param>
/// <param name="Protected">Protected servers are never powered off by the policy.</param>
/// <param name="MinOnHours">Hours a server stays up after booting before it may be powered off (at least 1).</param>
/// <param name="MinOffHours">Hours a server stays off before it may boot again (at least 1).</param>
/// <param name="MaxCyclesPerDay">Power-offs allowed per day (day = hour index / 24).</param>
/// <param name="JobClass">Index into <see cref="RackSpec.JobClasses"/> of the work this server runs.</param>
public sealed record ServerSpec(
    string Name,
    PowerCurve Curve,
    double ThroughputPerHour,
    double CapMinWatts,
    double CapMaxWatts,
    double BootSeconds,
    double BootEnergyWh,
    bool Protected,
    int MinOnHours,
    int MinOffHours,
    int MaxCyclesPerDay,
    int JobClass)
{
    /// <summary>Checks the fields and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        static void Fail(string name, string problem) => throw new ArgumentException($"server '{name}': {problem}");
        if (!(ThroughputPerHour > 0) || !double.IsFinite(ThroughputPerHour))
        {
            Fail(Name, $"throughput must be positive, got {ThroughputPerHour}");
        }

        if (!double.IsFinite(CapMinWatts) || !double.IsFinite(CapMaxWatts) || CapMinWatts < 0 || CapMaxWatts < CapMinWatts)
        {
            Fail(Name, $"cap range [{CapMinWatts}, {CapMaxWatts}] W is not a range");
        }

        if (CapMaxWatts <= Curve.IdleWatts)
        {
            Fail(Name, $"maximum cap {CapMaxWatts} W must exceed idle power {Curve.IdleWatts} W");
        }

        if (CapMinWatts > Curve.MaxWatts)
        {
            Fail(Name, $"minimum cap {CapMinWatts} W exceeds full-load power {Curve.MaxWatts} W");
        }

        if (!(BootSeconds >= 0 && BootSeconds <= 3600))
        {
            Fail(Name, $"boot time must be within 0..3600 s (one hour), got {BootSeconds}");
        }

        if (!(BootEnergyWh >= 0) || !double.IsFinite(BootEnergyWh))
        {
            Fail(Name, $"boot energy must be >= 0 Wh, got {BootEnergyWh}");
        }

        if (MinOnHours < 1 || MinOffHours < 1 || MinOnHours > 24 || MinOffHours > 24)
        {
            Fail(Name, $"minimum on/off times must be within 1..24 h, got {MinOnHours}/{MinOffHours}");
        }

        if (MaxCyclesPerDay < 0 || MaxCyclesPerDay > 24)
        {
            Fail(Name, $"cycles per day must be within 0..24, got {MaxCyclesPerDay}");
        }
    }
}
