namespace EdgeGovernor.Policy.Simulation;

/// <summary>Accounting of one run: energy, money, carbon, work and rule keeping, per rack and per server. Money is in
/// the currency of the scenario's prices (the members say EUR, the default).</summary>
public sealed class Ledger
{
    /// <summary>Creates an empty ledger for <paramref name="servers"/> servers.</summary>
    public Ledger(int servers)
    {
        ServerEnergyKwh = new double[servers];
        ServerWorkUnits = new double[servers];
        ServerCostEur = new double[servers];
        ServerCo2Kg = new double[servers];
        ServerDeadlinesMissed = new int[servers];
    }

    /// <summary>Market intervals accounted.</summary>
    public int Intervals { get; internal set; }

    /// <summary>Rack energy, fans included (kWh).</summary>
    public double EnergyKwh { get; internal set; }

    /// <summary>Energy cost (EUR); negative prices make it smaller.</summary>
    public double CostEur { get; internal set; }

    /// <summary>Emissions (kg CO2eq).</summary>
    public double Co2Kg { get; internal set; }

    /// <summary>Value of the work done (EUR).</summary>
    public double ValueEur { get; internal set; }

    /// <summary>Units of work done (interactive and deferrable).</summary>
    public double WorkUnits { get; internal set; }

    /// <summary>Units of deferrable work done.</summary>
    public double DeferrableUnits { get; internal set; }

    /// <summary>Deferrable jobs that reached their deadline unfinished.</summary>
    public int DeadlinesMissed { get; internal set; }

    /// <summary>Units of deferrable work missed at deadlines.</summary>
    public double MissedUnits { get; internal set; }

    /// <summary>Penalty of the missed units (EUR), as the optimisers count it.</summary>
    public double MissPenaltyEur { get; internal set; }

    /// <summary>Intervals in which the requested setpoints broke the envelope (PDU budget or thermal limit).</summary>
    public int EnvelopeViolations { get; internal set; }

    /// <summary>Setpoints the rack refused: illegal power cycling (protected, minimum times, cycle limit), caps outside the range.</summary>
    public int RuleViolations { get; internal set; }

    /// <summary>Power-offs performed.</summary>
    public int PowerCycles { get; internal set; }

    /// <summary>Highest rack power in any interval (W).</summary>
    public double PeakRackWatts { get; internal set; }

    /// <summary>Net value: value of work done minus energy cost (EUR).</summary>
    public double NetValueEur => ValueEur - CostEur;

    /// <summary>What the optimisers maximise: net value minus deadline penalties (EUR).</summary>
    public double ObjectiveEur => NetValueEur - MissPenaltyEur;

    /// <summary>Energy per server (kWh, IT only).</summary>
    public double[] ServerEnergyKwh { get; }

    /// <summary>Work per server (units).</summary>
    public double[] ServerWorkUnits { get; }

    /// <summary>Energy cost per server (EUR, IT only).</summary>
    public double[] ServerCostEur { get; }

    /// <summary>Emissions per server (kg CO2eq, IT only: the fans' share is in the rack total only).</summary>
    public double[] ServerCo2Kg { get; }

    /// <summary>Deferrable jobs per server that reached their deadline unfinished.</summary>
    public int[] ServerDeadlinesMissed { get; }
}
