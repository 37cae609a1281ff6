namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Settings of the baselines.</summary>
public sealed record BaselineOptions
{
    /// <summary>Static cap (W).</summary>
    public double StaticCapWatts { get; init; } = 150;

    /// <summary>Price threshold (c/kWh).</summary>
    public double ThresholdCentsPerKwh { get; init; } = 15;
}
