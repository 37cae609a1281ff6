using EdgeGovernor.Protocol;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>The incarnation's seeded random stream as the protocol's <see cref="IRandomSource"/>.</summary>
internal sealed class SimulatedRandomSource(SimulatedRandom random) : IRandomSource
{
    public double NextDouble() => random.NextDouble();

    public ulong NextUInt64() => random.NextUInt64();
}
