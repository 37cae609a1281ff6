using EdgeGovernor.Protocol;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Adapters;

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
