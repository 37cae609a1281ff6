namespace EdgeGovernor.Hal.PowerCap;

/// <summary>The static description of one constraint.</summary>
/// <param name="Index">K in <c>constraint_K_*</c>.</param>
/// <param name="Name"><c>long_term</c>, <c>short_term</c> or <c>peak_power</c>.</param>
/// <param name="MaxPowerMicrowatts">From <c>constraint_K_max_power_uw</c>; null when the kernel does not provide it.</param>
public sealed record PowerCapConstraintInfo(int Index, string Name, long? MaxPowerMicrowatts)
{
    /// <summary>The kernel's name of the long-term (PL1) constraint.</summary>
    public const string LongTerm = "long_term";

    /// <summary>The kernel's name of the short-term (PL2) constraint.</summary>
    public const string ShortTerm = "short_term";

    /// <summary>Largest time window the layer writes (RAPL encodes windows up to tens of seconds; 1000 s is a sanity bound).</summary>
    public const long MaxTimeWindowMicroseconds = 1_000_000_000;
}
