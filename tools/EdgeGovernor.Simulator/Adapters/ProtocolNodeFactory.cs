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

/// <summary>
/// One <see cref="ProtocolNode"/> incarnation in the simulation: it is the node's sink (into the
/// simulated network), delivery handler (into the checkers) and random source (the incarnation's
/// seeded stream).
/// </summary>
public sealed class ProtocolNodeAdapter : ISimulatedNode, IDatagramSink, IDeliveryHandler, IRandomSource, IDisposable
{
    private readonly NodeContext _context;

    internal ProtocolNodeAdapter(NodeContext context, NodeOptions options, IMembershipView? membership, Action<ProtocolNode, NodeContext>? configure)
    {
        _context = context;
        Node = new ProtocolNode(options, this, this, this, Simulation.ClockOriginUs, membership);
        configure?.Invoke(Node, context);
    }

    /// <summary>The real protocol node.</summary>
    public ProtocolNode Node { get; }

    /// <inheritdoc/>
    public long NextDeadlineUs => Node.NextDeadlineUs;

    /// <inheritdoc/>
    public int RetainedMessages => (int)Node.Counters.RetainedMessages;

    /// <inheritdoc/>
    public void Receive(ReadOnlySpan<byte> datagram, long nowUs) => Node.Receive(datagram, nowUs);

    /// <inheritdoc/>
    public void Tick(long nowUs) => Node.Tick(nowUs);

    /// <inheritdoc/>
    public bool TryPublish(ReadOnlySpan<byte> payload, long nowUs) => Node.TryPublish(payload, nowUs);

    /// <inheritdoc/>
    void IDatagramSink.Send(Destination destination, ReadOnlySpan<byte> datagram)
    {
        if (destination.IsGroup)
        {
            _context.Port.SendToGroup(datagram);
        }
        else
        {
            _context.Port.SendToNode(destination.Peer.Value, datagram);
        }
    }

    /// <inheritdoc/>
    void IDeliveryHandler.OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload) =>
        _context.Port.Delivered(sender.Value, sequence, payload);

    /// <inheritdoc/>
    void IDeliveryHandler.OnUnicast(NodeId sender, ReadOnlySpan<byte> payload) =>
        _context.Port.Observed(new NodeObservation(ObservationKinds.Unicast, sender.Value, payload.Length));

    /// <inheritdoc/>
    void IDeliveryHandler.OnMembershipChanged(NodeId member, ulong incarnation, bool alive) =>
        _context.Port.Observed(new NodeObservation(alive ? ObservationKinds.MemberAlive : ObservationKinds.MemberFailed, member.Value, (long)incarnation));

    /// <inheritdoc/>
    void IDeliveryHandler.OnLeadershipChanged(NodeId leader, ulong term) =>
        _context.Port.Observed(new NodeObservation(ObservationKinds.Leader, leader.Value, (long)term));

    /// <inheritdoc/>
    double IRandomSource.NextDouble() => _context.Random.NextDouble();

    /// <inheritdoc/>
    ulong IRandomSource.NextUInt64() => _context.Random.NextUInt64();

    /// <inheritdoc/>
    public void Dispose() => Node.Dispose();
}

/// <summary>The <see cref="NodeObservation.Kind"/> values the protocol adapter reports.</summary>
public static class ObservationKinds
{
    /// <summary>A reliable unicast message was delivered (A: sender id, B: payload bytes).</summary>
    public const string Unicast = "unicast";

    /// <summary>A member became alive (A: member id, B: incarnation).</summary>
    public const string MemberAlive = "member-alive";

    /// <summary>A member was declared failed (A: member id, B: incarnation).</summary>
    public const string MemberFailed = "member-failed";

    /// <summary>The coordinator changed (A: leader id or 0, B: term).</summary>
    public const string Leader = "leader";
}
