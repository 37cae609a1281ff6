using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Where the channel classes put their effects: frames to send, messages to deliver, and when the node must tick
/// again. The node implements it (<see cref="NodeOutput"/>: seal and send, route to the handler or a component);
/// tests record it. Every call happens synchronously at the point the effect arises, so effects keep their order.
/// </summary>
internal interface IChannelSink
{
    /// <summary>Sends a multicast data or repair frame to the group.</summary>
    void SendMulticast(MessageType type, in MulticastDataFrame frame, ReadOnlySpan<byte> message);

    /// <summary>Sends a NACK to the origin (unicast) or the group.</summary>
    void SendNack(Destination destination, in NackFrame frame);

    /// <summary>Sends a reliable unicast data frame to <paramref name="peer"/>.</summary>
    void SendUnicast(NodeId peer, in UnicastDataFrame frame, ReadOnlySpan<byte> message);

    /// <summary>Sends an ack to <paramref name="peer"/>.</summary>
    void SendAck(NodeId peer, in UnicastAckFrame frame);

    /// <summary>Delivers one multicast message (in stream order).</summary>
    void DeliverMulticast(NodeId origin, ulong sequence, byte channel, ReadOnlySpan<byte> message, long nowUs);

    /// <summary>Delivers one unicast message (in order, once).</summary>
    void DeliverUnicast(NodeId peer, byte channel, ReadOnlySpan<byte> message, long nowUs);

    /// <summary>A timer falls due at <paramref name="dueUs"/>: the node's next deadline must not be later.</summary>
    void WakeAt(long dueUs);
}
