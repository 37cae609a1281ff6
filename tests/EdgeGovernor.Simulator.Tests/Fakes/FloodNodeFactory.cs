using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Tests.Fakes;

/// <summary>Makes <see cref="FloodNode"/>s and remembers them.</summary>
internal sealed class FloodNodeFactory : INodeFactory
{
    public List<FloodNode> Created { get; } = [];

    public int RetentionFloor => 0;

    public ISimulatedNode Create(NodeContext context)
    {
        var node = new FloodNode(context);
        Created.Add(node);
        return node;
    }

    public PacketClass Classify(ReadOnlySpan<byte> datagram) =>
        datagram.Length > 0 && datagram[0] == 2 ? PacketClass.Data : PacketClass.Control;
}
