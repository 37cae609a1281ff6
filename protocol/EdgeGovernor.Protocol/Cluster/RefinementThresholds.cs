namespace EdgeGovernor.Protocol.Cluster;

/// <summary>The utilization thresholds of PARMCEA's refinement, in basis points.</summary>
public readonly record struct RefinementThresholds
{
    /// <summary>Creates thresholds; <paramref name="lowBp"/> must not exceed <paramref name="highBp"/>.</summary>
    public RefinementThresholds(ushort lowBp, ushort highBp)
    {
        if (lowBp > highBp)
        {
            throw new ArgumentException($"U_low ({lowBp} bp) must not exceed U_high ({highBp} bp).", nameof(lowBp));
        }

        LowBp = lowBp;
        HighBp = highBp;
    }

    /// <summary>PARMCEA's defaults: U_low = 20 %, U_high = 70 %.</summary>
    public static RefinementThresholds Default => new(2000, 7000);

    /// <summary>U_low in basis points.</summary>
    public ushort LowBp { get; }

    /// <summary>U_high in basis points.</summary>
    public ushort HighBp { get; }
}
