using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>One node of an <see cref="ElectionBench"/>: the real <see cref="ElectionState"/>, its effects sent through the bench, and the coordinator's heartbeats.</summary>
internal sealed class ElectionBenchNode(ElectionBench bench, int index)
{
    private long _nextHeartbeatUs = long.MaxValue;
    private bool _announced;

    public int Index { get; } = index;

    public NodeId Id => new((uint)Index + 1);

    public bool Alive { get; set; } = true;

    public ElectionState State { get; private set; } = null!;

    public long NextDeadlineUs => Math.Min(State.NextDeadlineUs, _nextHeartbeatUs);

    public void Bind(NodeId[] roster, int rank, ulong seed)
    {
        State = new ElectionState(Id, roster, bench.Options, new InMemoryVoteStore(), new SplitMix64Random(seed ^ ((ulong)Index * 0x9E3779B97F4A7C15UL)), new PriceLog(4))
        {
            SuccessionRank = rank,
        };
    }

    public void Tick()
    {
        long now = bench.NowUs;
        Apply(State.Tick(now));
        if (now >= _nextHeartbeatUs)
        {
            SendHeartbeat(counted: false);
        }
    }

    public void Deliver(in ElectionBenchMessage m)
    {
        long now = bench.NowUs;
        NodeId from = new((uint)m.From + 1);
        switch (m.Kind)
        {
            case ElectionBenchMessageKind.VoteRequest:
                Apply(State.OnVoteRequest(from, m.Request, now));
                break;
            case ElectionBenchMessageKind.VoteResponse:
                Apply(State.OnVoteResponse(from, m.Response, now));
                break;
            case ElectionBenchMessageKind.Heartbeat:
                int k = m.Alternate2.IsValid ? 2 : m.Alternate1.IsValid ? 1 : 0;
                Span<NodeId> alternates = [m.Alternate1, m.Alternate2];
                State.OnCoordinatorHeartbeat(from, m.Term, alternates[..k], now, out ElectionEffects effects);
                Apply(effects);
                break;
        }
    }

    private void Apply(in ElectionEffects effects)
    {
        for (int i = 0; i < effects.Count; i++)
        {
            ElectionEffect e = effects[i];
            switch (e.Kind)
            {
                case ElectionEffectKind.BroadcastVoteRequest:
                    bench.Broadcast(Index, new ElectionBenchMessage(ElectionBenchMessageKind.VoteRequest, 0, 0, e.Request, default, 0, default, default));
                    break;
                case ElectionEffectKind.SendVoteResponse:
                    bench.Unicast(Index, (int)e.Node.Value - 1, new ElectionBenchMessage(ElectionBenchMessageKind.VoteResponse, 0, 0, default, e.Response, 0, default, default));
                    break;
                case ElectionEffectKind.LeaderChanged:
                    OnLeaderChanged(e.Node);
                    break;
            }
        }
    }

    private void OnLeaderChanged(NodeId leader)
    {
        if (leader == Id)
        {
            _announced = false;
            SendHeartbeat(counted: true);
        }
        else if (State.Role != ElectionRole.Leader)
        {
            _nextHeartbeatUs = long.MaxValue;
        }
    }

    private void SendHeartbeat(bool counted)
    {
        if (State.Role != ElectionRole.Leader)
        {
            _nextHeartbeatUs = long.MaxValue;
            return;
        }

        Span<NodeId> alternates = stackalloc NodeId[2];
        int k = bench.Options.UseAlternates
            ? Parmcea.TopK(bench.View.AsSpan(), RefinementThresholds.Default, Id, alternates[..Math.Min(2, bench.Options.Alternates)])
            : 0;
        State.SetOwnAlternates(alternates[..k]);
        bench.Broadcast(Index, new ElectionBenchMessage(ElectionBenchMessageKind.Heartbeat, 0, 0, default, default, State.CurrentTerm, k > 0 ? alternates[0] : default, k > 1 ? alternates[1] : default), counted && !_announced);
        _announced = true;
        _nextHeartbeatUs = bench.NowUs + bench.Options.CoordinatorHeartbeatPeriodUs;
    }
}
