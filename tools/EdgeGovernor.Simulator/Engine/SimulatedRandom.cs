namespace EdgeGovernor.Simulator.Engine;

/// <summary>A node's seeded random source (xoshiro256**), handed to the protocol code.</summary>
public sealed class SimulatedRandom(Randomness.Xoshiro256StarStar state)
{
    private Randomness.Xoshiro256StarStar _state = state;

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => _state.NextDouble();

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64() => _state.NextUInt64();
}
