using System.Net;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// Binds the cluster node to the UDP transport: the node's <see cref="IDatagramSink"/> (group sends to the
/// group, a peer's to its unicast endpoint) and the transport's <see cref="IDatagramConsumer"/> (each datagram to
/// <see cref="ClusterNode.Receive"/>). Owns NodeId -> endpoint (<see cref="PeerEndpointMap"/>): seeded from
/// <c>network.peers</c>, learned from the source of every datagram the protocol authenticated
/// (<see cref="ReceiveResult.Sender"/>), and copied for <c>/status</c> (<see cref="PeerEndpoints"/>) when a peer is
/// new or moved. Used on the agent loop's thread; <see cref="PeerEndpoints"/> and <see cref="Unroutable"/> may be
/// read from any thread. Allocation-free per datagram in steady state.
/// </summary>
public sealed class ClusterBinding : IDatagramSink, IDatagramConsumer
{
    private readonly UdpTransport _transport;
    private readonly Func<long> _nowUs;
    private readonly PeerEndpointMap _peers = new();
    private ClusterNode? _cluster;
    private volatile IReadOnlyDictionary<uint, string> _peerEndpoints = new Dictionary<uint, string>();
    private long _unroutable;

    /// <summary>Binds <paramref name="transport"/>; <paramref name="nowUs"/> is the monotonic clock datagrams are received at.</summary>
    public ClusterBinding(UdpTransport transport, Func<long> nowUs)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(nowUs);
        _transport = transport;
        _nowUs = nowUs;
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
        Learn(cluster.Receive(datagram, _nowUs()), source);
    }

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
