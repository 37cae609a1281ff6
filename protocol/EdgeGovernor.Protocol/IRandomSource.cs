namespace EdgeGovernor.Protocol;

/// <summary>Randomness, injected: the simulator passes a seeded source, the firmware a real one.</summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed value in [0, 1).</summary>
    double NextDouble();

    /// <summary>A uniformly distributed 64-bit value.</summary>
    ulong NextUInt64();
}
