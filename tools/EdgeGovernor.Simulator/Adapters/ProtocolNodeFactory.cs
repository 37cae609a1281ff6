using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Adapters;

/// <summary>
/// Makes real <see cref="ProtocolNode"/>s for the simulation: every node of the run shares a cluster
/// id and key; each incarnation gets its own seeded random source and the simulator's clock.
/// </summary>
/// <remarks>
/// The cluster layer (issue 3) plugs in with <see cref="Configure"/> (register components on each new
/// node) and <see cref="Membership"/> (its own failure detector).
/// </remarks>
public sealed class ProtocolNodeFactory : INodeFactory
{
    /// <summary>The cluster id of simulated clusters.</summary>
    public const uint SimulatedClusterId = 0x51A1;

    private readonly ClusterKey _key;

    /// <summary>Creates the factory with the base options every node starts from (its id and incarnation are filled in per node).</summary>
    public ProtocolNodeFactory(Func<NodeOptions, NodeOptions>? tune = null)
    {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.Length; i++)
        {
            secret[i] = (byte)(0x5A ^ (i * 7));
        }

        _key = new ClusterKey(1, secret);
        Tune = tune;
    }

    /// <summary>Adjusts each node's options (timers, windows) before the node is built.</summary>
    public Func<NodeOptions, NodeOptions>? Tune { get; }

    /// <summary>Called with every new node before it runs (the cluster layer registers its components here).</summary>
    public Action<ProtocolNode, NodeContext>? Configure { get; set; }

    /// <summary>Makes a node's failure detector; null (or a null result) uses the protocol's built-in heartbeat timeout.</summary>
    public Func<NodeOptions, NodeContext, IMembershipView?>? Membership { get; set; }

    /// <inheritdoc/>
    public int RetentionFloor => 0;

    /// <summary>The options node <paramref name="nodeId"/> is built with in <paramref name="incarnation"/>.</summary>
    public NodeOptions OptionsFor(uint nodeId, ulong incarnation)
    {
        var options = new NodeOptions
        {
            Node = new NodeId(nodeId),
            Incarnation = incarnation,
            ClusterId = SimulatedClusterId,
            Key = _key,
        };
        return Tune is null ? options : Tune(options);
    }

    /// <inheritdoc/>
    public ISimulatedNode Create(NodeContext context)
    {
        NodeOptions options = OptionsFor(context.NodeId, context.Incarnation);
        return new ProtocolNodeAdapter(context, options, Membership?.Invoke(options, context), Configure);
    }

    /// <inheritdoc/>
    public PacketClass Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < WireCodec.HeaderSize || datagram[0] != (WireCodec.Magic >> 8) || datagram[1] != (WireCodec.Magic & 0xFF))
        {
            return PacketClass.Control;
        }

        return (MessageType)datagram[3] switch
        {
            MessageType.MulticastData => PacketClass.Data,
            MessageType.Repair => PacketClass.Repair,
            MessageType.Nack => PacketClass.Nack,
            _ => PacketClass.Control,
        };
    }
}
