namespace EdgeGovernor.Simulator.Contracts;

/// <summary>One rack's accounts over a run (money in the run's currency).</summary>
internal sealed class RackBooks
{
    /// <summary>Value of this owner's work done (its batch units run by anyone before their deadline, its interactive units served).</summary>
    public double Value;

    /// <summary>Energy cost of everything run on this rack.</summary>
    public double EnergyCost;

    /// <summary>kWh run on this rack.</summary>
    public double Kwh;

    /// <summary>Paid to partners for units they ran.</summary>
    public double Paid;

    /// <summary>Received from partners for units run for them.</summary>
    public double Received;

    /// <summary>Migration cost of units sent.</summary>
    public double Migration;

    public long OwnUnitsRun;

    public long ForeignUnitsRun;

    public long UnitsSent;

    public long UnitsReceived;

    /// <summary>Own batch units that missed their deadline here.</summary>
    public long BatchMissed;

    /// <summary>Units taken from partners that missed their deadline here.</summary>
    public long ForeignMissed;

    public long InteractiveDropped;

    public long BatchArrived;

    /// <summary>Hours in which this rack dropped interactive work or let batch work miss its deadline.</summary>
    public int OverloadedHours;

    /// <summary>Hours in which this rack ran more than its capacity (must stay 0).</summary>
    public int EnvelopeViolations;

    /// <summary>Net value: work done, less energy, payments and migration, plus payments received.</summary>
    public double Net => Value - EnergyCost - Paid + Received - Migration;
}
