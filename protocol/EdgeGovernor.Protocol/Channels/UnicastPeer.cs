namespace EdgeGovernor.Protocol.Channels;

/// <summary>Reliable unicast state for one peer: the send window and the receive (reorder) window.</summary>
internal sealed class UnicastPeer
{
    public UnicastPeer(NodeId peer, int window)
    {
        Peer = peer;
        Send = new MessageRing(window);
        Receive = new MessageRing(window);
    }

    public NodeId Peer { get; }

    /// <summary>Unacknowledged outbound messages.</summary>
    public MessageRing Send { get; }

    /// <summary>Next outbound sequence number (from 1).</summary>
    public ulong NextSequence = 1;

    /// <summary>Every outbound sequence at or below is acknowledged.</summary>
    public ulong AckedUpTo;

    /// <summary>Earliest retransmission due (long.MaxValue: none).</summary>
    public long NextDueUs = long.MaxValue;

    /// <summary>Out-of-order inbound messages.</summary>
    public MessageRing Receive { get; }

    /// <summary>The peer incarnation the receive state belongs to.</summary>
    public ulong ReceiveIncarnation;

    /// <summary>Inbound delivered up to (inclusive).</summary>
    public ulong Expected;

    public int Unacked => Send.Count;
}
