using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>Creates node incarnations and tells the network model what kind a datagram is.</summary>
public interface INodeFactory
{
    /// <summary>The retention a node keeps at rest, once all traffic is stable (usually 0).</summary>
    int RetentionFloor { get; }

    /// <summary>Creates a node incarnation (at start, or at a restart after a crash).</summary>
    ISimulatedNode Create(NodeContext context);

    /// <summary>Classifies a datagram for the loss model and the statistics; must not throw on garbage.</summary>
    PacketClass Classify(ReadOnlySpan<byte> datagram);
}
