using System.Net;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// Binds the cluster node to the UDP transport: the node's <see cref="IDatagramSink"/> (group sends to the
/// group, a peer's to its unicast endpoint) and the transport's <see cref="IDatagramConsumer"/> (each datagram to
/// <see cref="ClusterNode.Receive"/>). Owns NodeId -> endpoint (<see cref="PeerEndpointMap"/>): seeded from
/// <c>network.peers</c>, learned from the source of every datagram the protocol authenticated
/// (<see cref="ReceiveResult.Sender"/>), and copied for <c>/status</c> (<see cref="PeerEndpoints"/>) when a peer is
/// new or moved. Used on the agent loop's thread; <see cref="PeerEndpoints"/> and <see cref="Unroutable"/> may be
/// read from any thread. Allocation-free per datagram in steady state. An exception while handling one datagram is
/// caught here: the datagram is dropped and the fault recorded in <see cref="HandlerFaults"/> with its message type.
/// </summary>
internal sealed class ClusterBinding : IDatagramSink, IDatagramConsumer
{
    private readonly UdpTransport _transport;
    private readonly Func<long> _nowUs;
    private readonly PeerEndpointMap _peers = new();
    private ClusterNode? _cluster;
    private volatile IReadOnlyDictionary<uint, string> _peerEndpoints = new Dictionary<uint, string>();
    private readonly HandlerFaults? _faults;
    private long _unroutable;

    /// <summary>
    /// Binds <paramref name="transport"/>; <paramref name="nowUs"/> is the monotonic clock datagrams are received at;
    /// <paramref name="faults"/> records datagrams whose handling threw (null: the exception propagates).
    /// </summary>
    public ClusterBinding(UdpTransport transport, Func<long> nowUs, HandlerFaults? faults = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(nowUs);
        _transport = transport;
        _nowUs = nowUs;
        _faults = faults;
    }

    /// <summary>Unicast sends to peers whose endpoint is not known yet.</summary>
    public long Unroutable => Interlocked.Read(ref _unroutable);

    /// <summary>The peers' endpoints as of the last change (a new copy per change; for <c>/status</c>).</summary>
    public IReadOnlyDictionary<uint, string> PeerEndpoints => _peerEndpoints;

    /// <summary>Adds a configured peer (<c>network.peers</c>).</summary>
    public void AddPeer(uint nodeId, IPEndPoint endpoint) => _peers.Add(nodeId, endpoint);

    /// <summary>The node that receives (set once, after the node was created with this binding as its sink).</summary>
    public void Attach(ClusterNode cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (_cluster is not null)
        {
            throw new InvalidOperationException("the binding is attached already");
        }
        _cluster = cluster;
    }

    /// <inheritdoc/>
    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast)
    {
        ClusterNode cluster = _cluster ?? throw new InvalidOperationException("no cluster node attached");
        if (_faults is null)
        {
            Learn(cluster.Receive(datagram, _nowUs()), source);
            return;
        }
        try
        {
            ReceiveResult result = cluster.Receive(datagram, _nowUs());
            if (result.Drop == DropReason.HandlerFault)
            {
                // The protocol caught it (a component threw while handling the datagram): log it like our own catches.
                ProtocolCounters counters = cluster.Node.Counters;
                _faults.RecordDatagram($"{counters.LastHandlerFaultType} datagram ({datagram.Length} bytes)", counters.LastHandlerFault!);
            }
            Learn(result, source);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _faults.RecordDatagram(MessageTypeOf(datagram), e);
        }
    }

    /// <summary>The message type named in a datagram's header, for the log.</summary>
    public static string MessageTypeOf(ReadOnlySpan<byte> datagram) =>
        datagram.Length > 3 ? $"{WireCodec.PeekType(datagram)} datagram ({datagram.Length} bytes)" : $"datagram of {datagram.Length} bytes";

    /// <summary>
    /// Learns the endpoint of an authenticated datagram's sender (its source names the sender now); true when the
    /// peer is new or moved (the copy <see cref="PeerEndpoints"/> is then refreshed).
    /// </summary>
    public bool Learn(ReceiveResult result, SocketAddress source)
    {
        if (!result.Authenticated || !_peers.Learn(result.Sender.Value, source))
        {
            return false;
        }
        var snapshot = new Dictionary<uint, string>();
        foreach ((uint id, string endpoint) in _peers.Snapshot())
        {
            snapshot[id] = endpoint;
        }
        _peerEndpoints = snapshot;
        return true;
    }

    /// <inheritdoc/>
    public void Send(Destination destination, ReadOnlySpan<byte> datagram)
    {
        if (destination.IsGroup)
        {
            _transport.SendToGroup(datagram);
        }
        else if (_peers.TryGet(destination.Peer.Value, out SocketAddress address))
        {
            _transport.SendTo(datagram, address);
        }
        else
        {
            Interlocked.Increment(ref _unroutable);
        }
    }
}
