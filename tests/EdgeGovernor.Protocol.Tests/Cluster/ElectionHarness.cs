using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

/// <summary>
/// A tiny deterministic cluster of <see cref="ElectionState"/>s joined by a message bus with a fixed latency, for
/// election tests. The coordinator heartbeats every period (naming alternates by PARMCEA rank); members heartbeat the
/// coordinator every <see cref="MemberPeriodUs"/> (CheckQuorum contact). Links can be cut one way.
/// </summary>
internal sealed class ElectionHarness
{
    private readonly PriorityQueue<Action, (long, long)> _events = new();
    private readonly HashSet<(uint From, uint To)> _cut = [];
    private long _order;

    public ElectionHarness(int voters, ElectionOptions? options = null, int observers = 0, ulong seed = 1)
    {
        Options = options ?? new ElectionOptions();
        var roster = Enumerable.Range(1, voters).Select(i => new NodeId((uint)i)).ToArray();
        for (int i = 1; i <= voters + observers; i++)
        {
            var node = new Node(this, new NodeId((uint)i), new InMemoryVoteStore(), new SplitMix64Random(seed * 1000 + (ulong)i));
            Nodes.Add(node);
        }

        Roster = roster;
        foreach (Node n in Nodes)
        {
            n.Boot(roster, 0);
        }

        UpdateRanks();
    }

    public ElectionOptions Options { get; }

    public NodeId[] Roster { get; }

    public List<Node> Nodes { get; } = [];

    public long NowUs { get; private set; }

    public long LatencyUs { get; set; } = 1_000;

    public long MemberPeriodUs { get; set; } = 200_000;

    public long Datagrams { get; private set; }

    /// <summary>(term, leader) pairs ever observed as leader: at most one leader per term.</summary>
    public Dictionary<ulong, HashSet<uint>> LeadersByTerm { get; } = [];

    public Node this[uint id] => Nodes[(int)id - 1];

    public void Cut(uint from, uint to) => _cut.Add((from, to));

    public void Heal() => _cut.Clear();

    public void Isolate(IEnumerable<uint> minority)
    {
        var set = minority.ToHashSet();
        foreach (Node a in Nodes)
        {
            foreach (Node b in Nodes)
            {
                if (set.Contains(a.Id.Value) != set.Contains(b.Id.Value))
                {
                    Cut(a.Id.Value, b.Id.Value);
                }
            }
        }
    }

    public IEnumerable<Node> Leaders => Nodes.Where(n => n.Up && n.Election.Role == ElectionRole.Leader);

    public void RunUntil(long untilUs)
    {
        while (true)
        {
            long next = _events.TryPeek(out _, out (long Time, long Order) key) ? key.Time : long.MaxValue;
            foreach (Node n in Nodes)
            {
                if (n.Up)
                {
                    next = Math.Min(next, Math.Min(n.Election.NextDeadlineUs, n.NextHeartbeatUs));
                }
            }

            if (next > untilUs)
            {
                NowUs = untilUs;
                return;
            }

            NowUs = Math.Max(NowUs, next);
            if (_events.TryPeek(out _, out key) && key.Time <= NowUs)
            {
                _events.Dequeue()();
                continue;
            }

            foreach (Node n in Nodes)
            {
                if (n.Up && n.Election.NextDeadlineUs <= NowUs)
                {
                    n.Apply(n.Election.Tick(NowUs));
                }

                if (n.Up && n.NextHeartbeatUs <= NowUs)
                {
                    n.Heartbeat(NowUs);
                }
            }
        }
    }

    /// <summary>Runs until some node leads (or the limit passes); returns the time or -1.</summary>
    public long RunUntilLeader(long limitUs, Func<Node, bool>? which = null)
    {
        while (NowUs < limitUs)
        {
            RunUntil(Math.Min(limitUs, NowUs + 1_000));
            if (Leaders.Any(which ?? (_ => true)))
            {
                return NowUs;
            }
        }

        return -1;
    }

    private void Send(Node from, NodeId to, Action<Node> deliver)
    {
        Datagrams++;
        Node target = this[to.Value];
        if (_cut.Contains((from.Id.Value, to.Value)))
        {
            return;
        }

        int incarnation = target.Incarnation;
        _events.Enqueue(() =>
        {
            if (target.Up && target.Incarnation == incarnation)
            {
                deliver(target);
            }
        }, (NowUs + LatencyUs, _order++));
    }

    private void Broadcast(Node from, Action<Node> deliver)
    {
        Datagrams++;
        foreach (Node target in Nodes)
        {
            if (target != from && !_cut.Contains((from.Id.Value, target.Id.Value)))
            {
                int incarnation = target.Incarnation;
                _events.Enqueue(() =>
                {
                    if (target.Up && target.Incarnation == incarnation)
                    {
                        deliver(target);
                    }
                }, (NowUs + LatencyUs, _order++));
            }
        }
    }

    internal sealed class Node
    {
        private readonly ElectionHarness _h;
        private readonly IRandomSource _random;

        public Node(ElectionHarness h, NodeId id, InMemoryVoteStore store, IRandomSource random)
        {
            _h = h;
            Id = id;
            Store = store;
            _random = random;
            Election = null!;
        }

        public NodeId Id { get; }

        public InMemoryVoteStore Store { get; }

        public PriceLog Log { get; private set; } = new();

        public ElectionState Election { get; private set; }

        public bool Up { get; private set; }

        public int Incarnation { get; private set; }

        public long NextHeartbeatUs { get; private set; } = long.MaxValue;

        public List<(NodeId Leader, ulong Term, long AtUs)> LeaderChanges { get; } = [];

        /// <summary>Utilization and capacity this node reports (for the rank).</summary>
        public ElectionCandidate Load { get; set; }

        public void Boot(NodeId[] roster, long nowUs)
        {
            Incarnation++;
            Up = true;
            Election = new ElectionState(Id, roster, _h.Options, Store, _random, Log);
            Election.SuccessionRank = RankOf(Id);
            Election.Start(nowUs);
            NextHeartbeatUs = nowUs + _h.MemberPeriodUs;
        }

        public void Crash()
        {
            Up = false;
            Incarnation++;
            NextHeartbeatUs = long.MaxValue;
        }

        public void Restart(long nowUs, bool keepLog = true)
        {
            if (!keepLog)
            {
                Log = new PriceLog();
            }

            Boot(_h.Roster, nowUs);
        }

        public void Heartbeat(long nowUs)
        {
            if (Election.Role == ElectionRole.Leader)
            {
                Span<NodeId> alternates = stackalloc NodeId[_h.Options.Alternates];
                int k = Parmcea.TopK(_h.LiveView(), RefinementThresholds.Default, Id, alternates);
                Election.SetOwnAlternates(alternates[..k]);
                NodeId[] named = alternates[..k].ToArray();
                ulong term = Election.CurrentTerm;
                NodeId me = Id;
                _h.Broadcast(this, n =>
                {
                    n.Election.OnCoordinatorHeartbeat(me, term, named, _h.NowUs, out ElectionEffects effects);
                    n.Apply(effects);
                });
                NextHeartbeatUs = nowUs + _h.Options.CoordinatorHeartbeatPeriodUs;
            }
            else
            {
                NodeId me = Id;
                _h.Broadcast(this, n => n.Election.OnMemberContact(me, _h.NowUs));
                NextHeartbeatUs = nowUs + _h.MemberPeriodUs;
            }
        }

        /// <summary>Carries out what one election call asked for, in order (what the cluster node does).</summary>
        public void Apply(in ElectionEffects effects)
        {
            for (int i = 0; i < effects.Count; i++)
            {
                ElectionEffect e = effects[i];
                NodeId me = Id;
                switch (e.Kind)
                {
                    case ElectionEffectKind.BroadcastVoteRequest:
                        VoteRequestFrame request = e.Request;
                        _h.Broadcast(this, n => n.Apply(n.Election.OnVoteRequest(me, request, _h.NowUs)));
                        break;
                    case ElectionEffectKind.SendVoteResponse:
                        VoteResponseFrame response = e.Response;
                        _h.Send(this, e.Node, n => n.Apply(n.Election.OnVoteResponse(me, response, _h.NowUs)));
                        break;
                    case ElectionEffectKind.LeaderChanged:
                        OnLeaderChanged(e.Node, e.Term);
                        break;
                }
            }
        }

        private void OnLeaderChanged(NodeId leader, ulong term)
        {
            LeaderChanges.Add((leader, term, _h.NowUs));
            if (leader == Id)
            {
                Log.AppendTermStart(term, 0, out _);
                if (!_h.LeadersByTerm.TryGetValue(term, out HashSet<uint>? set))
                {
                    _h.LeadersByTerm[term] = set = [];
                }

                set.Add(Id.Value);
                NextHeartbeatUs = _h.NowUs; // announce at once
            }
        }

        private int RankOf(NodeId id) => Math.Max(0, Parmcea.PositionOf(_h.LiveView(), id, RefinementThresholds.Default));
    }

    internal ElectionCandidate[] LiveView() =>
        Nodes.Where(n => n.Up && Roster.Contains(n.Id)).Select(n => n.Load with { Node = n.Id }).ToArray();

    /// <summary>Recomputes every node's succession rank from the current live view (what membership would do).</summary>
    public void UpdateRanks()
    {
        ElectionCandidate[] view = LiveView();
        foreach (Node n in Nodes.Where(n => n.Up))
        {
            n.Election.SuccessionRank = Math.Max(0, Parmcea.PositionOf(view, n.Id, RefinementThresholds.Default));
        }
    }
}
