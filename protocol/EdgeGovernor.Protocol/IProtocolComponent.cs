using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// The extension seam of <see cref="ProtocolNode"/>: a component (membership detector, election, price
/// log) registers for message types in the cluster range (<see cref="MessageType.ClusterFirst"/> ..
/// <see cref="MessageType.ExtensionLast"/>) and/or for reliable channels 1..255, and gets ticked with
/// the node. It sends through the node (<see cref="ProtocolNode.SendDatagram"/>,
/// <see cref="ProtocolNode.TryPublish(byte, ReadOnlySpan{byte}, long)"/>,
/// <see cref="ProtocolNode.TrySend(NodeId, byte, ReadOnlySpan{byte}, long)"/>). A component that also
/// implements <see cref="IMembershipListener"/> receives membership events.
/// </summary>
public interface IProtocolComponent
{
    /// <summary>An authenticated, non-replayed datagram of a type registered to this component.</summary>
    void OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs);

    /// <summary>A message of a registered reliable multicast channel, in order and exactly once per sender stream.</summary>
    void OnMulticast(NodeId sender, ulong sequence, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
    }

    /// <summary>A message of a registered reliable unicast channel, in order and exactly once.</summary>
    void OnUnicast(NodeId sender, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
    }

    /// <summary>Timers; called from <see cref="ProtocolNode.Tick"/> on every tick.</summary>
    void Tick(long nowUs);

    /// <summary>When the component next needs a tick (<see cref="long.MaxValue"/>: none).</summary>
    long NextDeadlineUs { get; }
}
