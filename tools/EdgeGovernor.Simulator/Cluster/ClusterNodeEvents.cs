using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>One node incarnation's leadership and price events, forwarded to the run (and to the trace).</summary>
internal sealed class ClusterNodeEvents(ClusterRun run, NodeContext context) : IDeliveryHandler, IPriceLogListener
{
    public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
    {
    }

    public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
    {
    }

    public void OnLeadershipChanged(NodeId leader, ulong term)
    {
        context.Port.Observed(new NodeObservation(ObservationKinds.Leader, leader.Value, (long)term));
        run.OnLeadership(context.Index, leader, term);
    }

    public void OnRecordHeld(in PriceRecord record, long nowUs) => run.OnHeld(context.Index, record);
}
