namespace EdgeGovernor.Protocol;

/// <summary>
/// A small, fast, deterministic <see cref="IRandomSource"/> (SplitMix64). Same seed, same sequence,
/// on every platform. Not cryptographic.
/// </summary>
public sealed class SplitMix64Random : IRandomSource
{
    private ulong _state;

    /// <summary>Creates the generator from a seed.</summary>
    public SplitMix64Random(ulong seed) => _state = seed;

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <inheritdoc/>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
