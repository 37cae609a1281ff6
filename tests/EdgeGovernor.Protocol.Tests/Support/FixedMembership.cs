using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>A membership view whose live set the test sets by hand (the local node included, as the real ones do).</summary>
internal sealed class FixedMembership : IMembershipView
{
    public FixedMembership(params uint[] live) => Live.AddRange(live.Select(n => new NodeId(n)));

    public List<NodeId> Live { get; } = new();

    public long NextDeadlineUs => long.MaxValue;

    public int LiveCount => Live.Count;

    public void Attach(IMembershipListener listener)
    {
    }

    public void OnHeard(in MessageHeader header, long nowUs)
    {
    }

    public void Tick(long nowUs)
    {
    }

    public bool IsAlive(NodeId node) => Live.Contains(node);

    public NodeId LiveMemberAt(int index) => Live[index];
}
