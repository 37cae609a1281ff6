using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// What <see cref="ProtocolNode.Receive"/> did with one datagram. <see cref="Sender"/> is set once the datagram
/// authenticated (structure, cluster, key, tag, replay and sender checks passed), even if its payload was then
/// dropped (<see cref="Drop"/> says why); it is <see cref="NodeId.None"/> for a datagram that did not authenticate.
/// </summary>
/// <param name="Drop">Why the datagram was dropped, or <see cref="DropReason.None"/> when it was handled.</param>
/// <param name="Sender">The authenticated sender, or <see cref="NodeId.None"/>.</param>
public readonly record struct ReceiveResult(DropReason Drop, NodeId Sender)
{
    /// <summary>True when the datagram authenticated: its sender id may be trusted (e.g. to learn its endpoint).</summary>
    public bool Authenticated => Sender != NodeId.None;
}
