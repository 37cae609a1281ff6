using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// Message cost of elections on a loss-free network with 0.5-1.5 ms latency, for <c>compare-elections</c>:
/// the real <see cref="ElectionState"/> of every node (EdgeGovernor with PARMCEA ranking and alternates, or plain Raft
/// with both off) joined by an event queue, and a real Bully implementation (Garcia-Molina) as the baseline.
/// </summary>
/// <remarks>
/// Counted: vote and pre-vote requests (one multicast each) and responses (unicast), and the new coordinator's first
/// heartbeat, which announces it. Periodic heartbeats before the crash are not counted. Membership is taken as known
/// (every node has the same view of utilizations and capacities, as after the first heartbeats).
/// </remarks>
public sealed class ElectionBench
{
    private readonly int _n;
    private readonly ElectionOptions _options;
    private readonly ElectionBenchNode[] _nodes;
    private readonly ElectionCandidate[] _view;
    private readonly PriorityQueue<ElectionBenchMessage, (long, long)> _messages = new();
    private readonly PriorityQueue<int, (long, long)> _timers = new();
    private readonly long[] _scheduled;
    private readonly SplitMix64Random _latency;
    private long _order;
    private bool _counting;
    private long _datagrams;
    private long _deliveries;

    /// <summary>Builds <paramref name="n"/> voters with utilizations uniform in 0-100 % and capacities 100-1000 (seeded).</summary>
    public ElectionBench(int n, ElectionOptions options, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        _n = n;
        _options = options with { CheckQuorumWindowUs = 3_600_000_000 };
        _latency = new SplitMix64Random(seed * 31 + 7);
        var random = new SplitMix64Random(seed);
        _view = new ElectionCandidate[n];
        for (int i = 0; i < n; i++)
        {
            _view[i] = new ElectionCandidate(new NodeId((uint)i + 1), (ushort)(random.NextUInt64() % 10_001), 100 + (uint)(random.NextUInt64() % 901));
        }

        var order = new ElectionCandidate[n];
        Eligible = Parmcea.Rank(_view, RefinementThresholds.Default, order, out _);
        var rank = new int[n];
        for (int r = 0; r < n; r++)
        {
            rank[order[r].Node.Value - 1] = r;
        }

        NodeId[] roster = _view.Select(c => c.Node).ToArray();
        _nodes = new ElectionBenchNode[n];
        _scheduled = new long[n];
        for (int i = 0; i < n; i++)
        {
            _nodes[i] = new ElectionBenchNode(this, i);
        }

        foreach (ElectionBenchNode node in _nodes)
        {
            node.Bind(roster, rank[node.Index], seed);
        }
    }

    /// <summary>How many nodes PARMCEA's refinement made eligible in this view.</summary>
    public int Eligible { get; }

    /// <summary>Simulated time.</summary>
    public long NowUs { get; private set; }

    /// <summary>The election options every node runs.</summary>
    internal ElectionOptions Options => _options;

    /// <summary>Every node's utilization and capacity, as all nodes see them.</summary>
    internal ElectionCandidate[] View => _view;

    /// <summary>Cold start: every node starts at once; measured until every node follows one coordinator.</summary>
    public ElectionCost ColdElection(long limitUs = 60_000_000)
    {
        foreach (ElectionBenchNode node in _nodes)
        {
            node.State.Start(0);
            Reschedule(node.Index);
        }

        return Measure(limitUs, previous: NodeId.None);
    }

    /// <summary>
    /// After a cold election and a settled second of heartbeats, the coordinator crashes; measured until every live node
    /// follows a new one.
    /// </summary>
    public ElectionCost Failover(long limitUs = 60_000_000)
    {
        ElectionCost cold = ColdElection(limitUs);
        if (!cold.Completed)
        {
            return cold;
        }

        RunUntil(NowUs + 1_000_000);
        NodeId old = _nodes.First(n => n.Alive && n.State.Role == ElectionRole.Leader).Id;
        _nodes[old.Value - 1].Alive = false;
        return Measure(limitUs, old);
    }

    /// <summary>PARMCEA's best-case message count: 2K + n - 1.</summary>
    public static long ParmceaFormula(int eligible, int n) => (2L * eligible) + n - 1;

    /// <summary>
    /// The Bully algorithm after the highest node (the coordinator) crashed, started by node <paramref name="initiator"/>
    /// (1-based id; n - 1 is the best case, 1 the worst). Every message is a unicast datagram and counted; each receiver
    /// processes each message. Returns the cost until every live node knows the new coordinator.
    /// </summary>
    public static ElectionCost Bully(int n, int initiator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 3);
        const long Latency = 1_000, Timeout = 10_000;
        int alive = n - 1; // node n crashed
        bool[] started = new bool[n + 1];
        bool[] gotOk = new bool[n + 1];
        bool[] knows = new bool[n + 1];
        long messages = 0;
        long deliveries = 0;
        var events = new PriorityQueue<(int Kind, int From, int Lo, int Hi), (long, long)>();
        long order = 0;
        long now = 0;

        void StartElection(int p)
        {
            started[p] = true;
            if (p < n)
            {
                // ELECTION to every higher node, one unicast each (the dead one included).
                messages += n - p;
                events.Enqueue((0, p, p + 1, n), (now + Latency, order++));
            }

            events.Enqueue((2, p, 0, 0), (now + Timeout, order++)); // OK timeout
        }

        StartElection(initiator);
        int knowing = 0;
        while (events.TryDequeue(out (int Kind, int From, int Lo, int Hi) e, out (long Time, long) key))
        {
            now = key.Time;
            switch (e.Kind)
            {
                case 0: // ELECTION from e.From to e.Lo..e.Hi
                    for (int j = e.Lo; j <= Math.Min(e.Hi, alive); j++)
                    {
                        deliveries++;
                        messages++; // OK back
                        events.Enqueue((1, j, e.From, e.From), (now + Latency, order++));
                        if (!started[j])
                        {
                            StartElection(j);
                        }
                    }

                    break;
                case 1: // OK to e.Lo
                    deliveries++;
                    gotOk[e.Lo] = true;
                    break;
                case 2: // timeout: no OK means p is the highest alive node
                    if (!gotOk[e.From])
                    {
                        messages += e.From - 1; // COORDINATOR to every lower node
                        events.Enqueue((3, e.From, 1, e.From - 1), (now + Latency, order++));
                        knows[e.From] = true;
                        knowing++;
                    }

                    break;
                case 3: // COORDINATOR
                    for (int j = e.Lo; j <= e.Hi; j++)
                    {
                        deliveries++;
                        if (!knows[j])
                        {
                            knows[j] = true;
                            knowing++;
                        }
                    }

                    if (knowing == alive)
                    {
                        return new ElectionCost(messages, deliveries, now, true);
                    }

                    break;
            }
        }

        return new ElectionCost(messages, deliveries, now, knowing == alive);
    }

    private ElectionCost Measure(long limitUs, NodeId previous)
    {
        long start = NowUs;
        _counting = true;
        _datagrams = 0;
        _deliveries = 0;
        long end = start + limitUs;
        while (NowUs < end)
        {
            if (!Step(end))
            {
                break;
            }

            if (Agreed(previous))
            {
                _counting = false;
                return new ElectionCost(_datagrams, _deliveries, NowUs - start, true);
            }
        }

        _counting = false;
        return new ElectionCost(_datagrams, _deliveries, NowUs - start, false);
    }

    private bool Agreed(NodeId previous)
    {
        NodeId leader = NodeId.None;
        foreach (ElectionBenchNode node in _nodes)
        {
            if (!node.Alive)
            {
                continue;
            }

            NodeId l = node.State.Leader;
            if (!l.IsValid || l == previous || (leader.IsValid && l != leader))
            {
                return false;
            }

            leader = l;
        }

        return leader.IsValid && _nodes[leader.Value - 1].State.Role == ElectionRole.Leader;
    }

    private void RunUntil(long untilUs)
    {
        while (Step(untilUs))
        {
        }

        NowUs = Math.Max(NowUs, untilUs);
    }

    private bool Step(long untilUs)
    {
        long nextMessage = _messages.TryPeek(out _, out (long Time, long) mk) ? mk.Time : long.MaxValue;
        long nextTimer = _timers.TryPeek(out _, out (long Time, long) tk) ? tk.Time : long.MaxValue;
        long next = Math.Min(nextMessage, nextTimer);
        if (next > untilUs)
        {
            return false;
        }

        NowUs = Math.Max(NowUs, next);
        if (nextMessage <= nextTimer)
        {
            ElectionBenchMessage m = _messages.Dequeue();
            ElectionBenchNode to = _nodes[m.To];
            if (to.Alive)
            {
                to.Deliver(m);
                Reschedule(m.To);
            }
        }
        else
        {
            int i = _timers.Dequeue();
            if (_nodes[i].Alive && _scheduled[i] <= NowUs)
            {
                _scheduled[i] = long.MaxValue;
                _nodes[i].Tick();
                Reschedule(i);
            }
        }

        return true;
    }

    private void Reschedule(int i)
    {
        long d = _nodes[i].NextDeadlineUs;
        if (d != long.MaxValue && d != _scheduled[i])
        {
            _scheduled[i] = d;
            _timers.Enqueue(i, (Math.Max(d, NowUs), _order++));
        }
    }

    private long Latency() => 500 + (long)(_latency.NextDouble() * 1_000);

    /// <summary>Queues <paramref name="m"/> from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    internal void Unicast(int from, int to, in ElectionBenchMessage m)
    {
        if (_counting)
        {
            _datagrams++;
            if (_nodes[to].Alive)
            {
                _deliveries++;
            }
        }

        _messages.Enqueue(m with { From = from, To = to }, (NowUs + Latency(), _order++));
    }

    /// <summary>Queues <paramref name="m"/> from node <paramref name="from"/> to every other live node.</summary>
    internal void Broadcast(int from, in ElectionBenchMessage m, bool count = true)
    {
        if (_counting && count)
        {
            _datagrams++;
        }

        for (int j = 0; j < _n; j++)
        {
            if (j != from && _nodes[j].Alive)
            {
                if (_counting && count)
                {
                    _deliveries++;
                }

                _messages.Enqueue(m with { From = from, To = j }, (NowUs + Latency(), _order++));
            }
        }
    }
}
