namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>A latency distribution: <c>constant</c> (<c>us</c>), <c>uniform</c> (<c>min_us</c>, <c>max_us</c>) or <c>lognormal</c> (<c>median_us</c>, <c>sigma</c>, <c>min_us</c>, <c>max_us</c>).</summary>
public sealed class LatencySection
{
    /// <summary>"constant", "uniform" or "lognormal".</summary>
    public string? Kind { get; set; }

    /// <summary>Constant latency.</summary>
    public long? Us { get; set; }

    /// <summary>Minimum (uniform) or floor (lognormal).</summary>
    public long? MinUs { get; set; }

    /// <summary>Maximum (uniform) or cap (lognormal).</summary>
    public long? MaxUs { get; set; }

    /// <summary>Median (lognormal).</summary>
    public long? MedianUs { get; set; }

    /// <summary>Shape (lognormal).</summary>
    public double? Sigma { get; set; }
}
