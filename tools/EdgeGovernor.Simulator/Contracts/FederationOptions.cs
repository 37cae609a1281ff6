namespace EdgeGovernor.Simulator.Contracts;

/// <summary>What <c>evaluate-contracts</c> simulates: racks of different owners under one electricity price.</summary>
public sealed record FederationOptions
{
    /// <summary>Racks (one owner each).</summary>
    public int Racks { get; init; } = 8;

    /// <summary>Hours simulated (the PDU trace covers 31 days; it repeats beyond).</summary>
    public int Hours { get; init; } = 24 * 31;

    /// <summary>Hours a rack plans ahead (its day-ahead view of prices and its own interactive load).</summary>
    public int HorizonHours { get; init; } = 24;

    /// <summary>A batch unit arriving at hour t is due by the end of hour t + this.</summary>
    public int BatchWindowHours { get; init; } = 12;

    /// <summary>Value of one batch unit done by its deadline (money; lost when missed).</summary>
    public double BatchValuePerUnit { get; init; } = 0.05;

    /// <summary>Value of one interactive unit served in its hour (lost when the rack has no room for it).</summary>
    public double InteractiveValuePerUnit { get; init; } = 0.10;

    /// <summary>Share of a rack's servers busy with interactive work at the trace's peak.</summary>
    public double InteractiveShare { get; init; } = 0.45;

    /// <summary>Share of a rack's servers' worth of batch work arriving per hour at the trace's peak.</summary>
    public double BatchShare { get; init; } = 0.40;

    /// <summary>The spiking rack's work is multiplied by this for <see cref="SpikeHours"/> hours from <see cref="SpikeStartHour"/>.</summary>
    public double SpikeFactor { get; init; } = 3;

    /// <summary>Length of the load spike.</summary>
    public int SpikeHours { get; init; } = 6;

    /// <summary>First hour of the spike (rack 0).</summary>
    public int SpikeStartHour { get; init; } = 24 * 10 + 9;

    /// <summary>Price per unit of the fixed-price contracts, and the middle of the small range.</summary>
    public double ContractPrice { get; init; } = 0.015;

    /// <summary>Half-width of the small price range around <see cref="ContractPrice"/>.</summary>
    public double RangeHalfWidth { get; init; } = 0.01;

    /// <summary>Units per hour a contract moves at most.</summary>
    public int MaxUnitsPerHour { get; init; } = 40;

    /// <summary>Cost of moving one unit, borne by its sender.</summary>
    public double MigrationCostPerUnit { get; init; } = 0.002;

    /// <summary>Minimum gain per unit for each side before a unit moves.</summary>
    public double Hysteresis { get; init; } = 0.001;

    /// <summary>Probability that the network loses a contract message.</summary>
    public double Loss { get; init; }

    /// <summary>Probability that the network delivers a contract message twice.</summary>
    public double Duplicate { get; init; }

    /// <summary>Probability per rack-hour that the rack's controller crashes (at a random minute, after a random prefix
    /// of the effects it is carrying out).</summary>
    public double CrashRate { get; init; }

    /// <summary>Minutes a crashed controller stays down before it restarts from its journal.</summary>
    public int RestartAfterMinutes { get; init; } = 30;

    /// <summary>Minutes after the hour's start by which an owner decides its offers (no accept by then: it aborts and
    /// runs the units itself).</summary>
    public int DecideMinutes { get; init; } = 15;

    /// <summary>Seed of the order in which contracts trade each hour (and, offset, of the network and the crashes).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Prices CSV (hourly, EUR/MWh).</summary>
    public string Prices { get; init; } = "";

    /// <summary>First price hour used (the PDU trace is of May 2019; May 2024 by default).</summary>
    public DateTime From { get; init; } = new(2024, 5, 1);

    /// <summary>PDU trace CSV (Google PowerData2019 layout).</summary>
    public string Demand { get; init; } = "";

    /// <summary>SPECpower curves CSV (server models).</summary>
    public string Servers { get; init; } = "";
}
