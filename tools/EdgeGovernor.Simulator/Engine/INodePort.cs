namespace EdgeGovernor.Simulator.Engine;

/// <summary>The simulator side of one node incarnation: where its output goes.</summary>
public interface INodePort
{
    /// <summary>Sends a datagram to every other node (multicast). The span is copied.</summary>
    void SendToGroup(ReadOnlySpan<byte> datagram);

    /// <summary>Sends a datagram to one node, by protocol node id. The span is copied.</summary>
    void SendToNode(uint nodeId, ReadOnlySpan<byte> datagram);

    /// <summary>The node delivered a message of a sender's ordered multicast stream to its application.</summary>
    void Delivered(uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload);

    /// <summary>A protocol event other than a delivery (membership, leadership, ...), for checkers.</summary>
    void Observed(in NodeObservation observation);
}
