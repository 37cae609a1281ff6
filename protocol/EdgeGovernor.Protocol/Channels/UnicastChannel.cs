using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Reliable unicast of one node: one <see cref="UnicastPeer"/> per peer sent to or heard from (bounded by
/// <see cref="NodeOptions.MaxSenders"/>), the decoded data and ack frames routed to it, and its retransmission timers.
/// </summary>
internal sealed class UnicastChannel
{
    private readonly NodeOptions _options;
    private readonly IChannelSink _sink;
    private readonly ProtocolCounters _counters;
    private readonly Dictionary<NodeId, UnicastPeer> _peers = new();
    private readonly List<UnicastPeer> _peerList = new();

    public UnicastChannel(NodeOptions options, IChannelSink sink, ProtocolCounters counters)
    {
        _options = options;
        _sink = sink;
        _counters = counters;
    }

    /// <summary>Unacknowledged messages to <paramref name="peer"/>.</summary>
    public int UnackedCount(NodeId peer) => _peers.TryGetValue(peer, out UnicastPeer? p) ? p.Unacked : 0;

    /// <summary>Sends reliably to <paramref name="peer"/>; false when its window or the peer table is full.</summary>
    /// <exception cref="ArgumentException">The message exceeds <see cref="UnicastDataFrame.MaxMessage"/>, or the peer is this node or invalid.</exception>
    public bool TrySend(NodeId peer, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.Length > UnicastDataFrame.MaxMessage)
        {
            throw new ArgumentException($"A unicast payload is at most {UnicastDataFrame.MaxMessage} bytes (got {payload.Length}).", nameof(payload));
        }

        if (!peer.IsValid || peer == _options.Node)
        {
            throw new ArgumentException($"Cannot send to {peer}: not a valid peer.", nameof(peer));
        }

        UnicastPeer? p = PeerFor(peer);
        return p is not null && p.TrySend(channel, payload, nowUs);
    }

    /// <summary>Takes a data frame (validated by <see cref="UnicastDataFrame.TryRead"/>) from <paramref name="sender"/>'s
    /// incarnation <paramref name="incarnation"/>.</summary>
    public DropReason OnData(NodeId sender, ulong incarnation, in UnicastDataFrame frame, ReadOnlySpan<byte> message, long nowUs)
    {
        UnicastPeer? p = PeerFor(sender);
        return p is null ? DropReason.TooManySenders : p.OnData(incarnation, frame, message, nowUs);
    }

    /// <summary>Takes an ack from <paramref name="sender"/>; ignored unless it acknowledges our current incarnation. Never drops.</summary>
    public DropReason OnAck(NodeId sender, in UnicastAckFrame ack)
    {
        if (ack.Incarnation == _options.Incarnation && _peers.TryGetValue(sender, out UnicastPeer? p))
        {
            p.OnAck(ack);
        }

        return DropReason.None;
    }

    /// <summary>Runs every peer's retransmission timer.</summary>
    public void Tick(long nowUs)
    {
        foreach (UnicastPeer p in _peerList)
        {
            p.Tick(nowUs);
        }
    }

    /// <summary>A member failed: what we still owed it is abandoned.</summary>
    public void OnMemberFailed(NodeId member)
    {
        if (_peers.TryGetValue(member, out UnicastPeer? p))
        {
            p.OnFailed();
        }
    }

    private UnicastPeer? PeerFor(NodeId peer)
    {
        if (_peers.TryGetValue(peer, out UnicastPeer? p))
        {
            return p;
        }

        if (_peers.Count >= _options.MaxSenders)
        {
            return null;
        }

        p = new UnicastPeer(peer, _options, _sink, _counters);
        _peers.Add(peer, p);
        _peerList.Add(p);
        return p;
    }
}
