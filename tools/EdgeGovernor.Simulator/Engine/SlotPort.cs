namespace EdgeGovernor.Simulator.Engine;

/// <summary>One node slot's port: sends and deliveries come back into the simulation tagged with the slot.</summary>
internal sealed class SlotPort(Simulation simulation, int node) : INodePort
{
    public void SendToGroup(ReadOnlySpan<byte> datagram) => simulation.Transmitter.SendToGroup(node, datagram, simulation.NowUs);

    public void SendToNode(uint nodeId, ReadOnlySpan<byte> datagram) => simulation.Transmitter.SendToNode(node, nodeId, datagram, simulation.NowUs);

    public void Delivered(uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload) =>
        simulation.Delivered(node, senderNodeId, sequence, payload);

    public void Observed(in NodeObservation observation) => simulation.Observed(node, observation);
}
