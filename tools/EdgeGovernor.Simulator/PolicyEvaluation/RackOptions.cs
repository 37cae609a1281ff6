namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Rack-level settings of an evaluation (defaults are the ones the figures in BENCHMARKS.md use).</summary>
public sealed record RackOptions
{
    /// <summary>Servers in the rack when the CSV has no <c>count</c> column: the curves are used in turn.</summary>
    public int Servers { get; init; } = 42;

    /// <summary>PDU budget (W, fans included); 0 = 80 % of the servers' summed full-load power plus fans.</summary>
    public double BudgetWatts { get; init; }

    /// <summary>Thermal limit on IT power (W); 0 = 90 % of the summed full-load power.</summary>
    public double ThermalLimitWatts { get; init; }

    /// <summary>Fan power at minimum speed (W).</summary>
    public double FanMinWatts { get; init; } = 150;

    /// <summary>Fan W per IT W above the minimum.</summary>
    public double FanWattsPerItWatt { get; init; } = 0.05;
}
