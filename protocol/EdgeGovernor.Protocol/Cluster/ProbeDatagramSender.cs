using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// Sends the failure detector's probes as empty <see cref="MessageType.Probe"/> datagrams. The protocol node ticks its
/// membership view first thing in every tick, so the probes go out at that point, before the heartbeat of the tick.
/// </summary>
internal sealed class ProbeDatagramSender(ProtocolNode node) : IProbeSender
{
    /// <inheritdoc/>
    public void SendProbe(NodeId member, long nowUs) => node.SendDatagram(Destination.To(member), MessageType.Probe, []);
}
