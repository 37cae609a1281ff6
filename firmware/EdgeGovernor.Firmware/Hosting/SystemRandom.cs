using EdgeGovernor.Protocol;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>Real randomness for the protocol (backoffs, election jitter).</summary>
internal sealed class SystemRandom : IRandomSource
{
    /// <inheritdoc/>
    public double NextDouble() => Random.Shared.NextDouble();

    /// <inheritdoc/>
    public ulong NextUInt64() => (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.Next() << 63);
}
