namespace EdgeGovernor.Protocol;

/// <summary>
/// Receives what the node delivers to the application. All spans are only valid during the call.
/// Callbacks run synchronously inside <see cref="ProtocolNode.Receive"/> or <see cref="ProtocolNode.Tick"/>.
/// </summary>
public interface IDeliveryHandler
{
    /// <summary>An application message of <paramref name="sender"/>'s reliable ordered multicast stream,
    /// delivered exactly once and in sequence order (<paramref name="sequence"/> starts at 1 per incarnation).</summary>
    void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload);

    /// <summary>An application message of the reliable unicast channel from <paramref name="sender"/>,
    /// delivered exactly once and in order.</summary>
    void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload);

    /// <summary>A member became alive (first heard, or restarted with a new incarnation) or was declared failed.</summary>
    void OnMembershipChanged(NodeId member, ulong incarnation, bool alive)
    {
    }

    /// <summary>The coordinator changed (raised by the cluster layer; <see cref="NodeId.None"/> when there is none).</summary>
    void OnLeadershipChanged(NodeId leader, ulong term)
    {
    }
}
