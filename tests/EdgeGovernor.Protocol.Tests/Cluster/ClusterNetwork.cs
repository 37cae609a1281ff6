using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Cluster;

/// <summary>
/// Real <see cref="ClusterNode"/>s (codec, authentication, channels, membership, election, price log) on a seeded
/// in-memory network with latency and loss. Votes survive crashes (one store per node id).
/// </summary>
internal sealed class ClusterNetwork
{
    private readonly PriorityQueue<(Member To, int Life, byte[] Datagram), (long, long)> _queue = new();
    private readonly Random _random;
    private readonly Dictionary<uint, InMemoryVoteStore> _stores = [];
    private long _order;

    /// <summary>The unix time (µs) at monotonic 0: 2024-01-01T00:00Z.</summary>
    public const long UnixEpochUs = TestTimes.T0Us;

    public ClusterNetwork(int seed, IReadOnlyList<NodeId> roster, ClusterOptions? template = null)
    {
        _random = new Random(seed);
        Roster = roster;
        Template = template ?? TestKeys.ClusterOptions(1, roster);
    }

    public IReadOnlyList<NodeId> Roster { get; }

    public ClusterOptions Template { get; }

    public long NowUs { get; private set; }

    public double Loss { get; set; }

    public List<Member> Members { get; } = [];

    public Member this[uint id] => Members.First(m => m.Id.Value == id);

    public IEnumerable<Member> Coordinators => Members.Where(m => m.Up && m.Cluster.IsCoordinator);

    public Member Add(uint id)
    {
        var m = new Member(this, new NodeId(id));
        Members.Add(m);
        m.Start(NowUs);
        return m;
    }

    public void RunUntil(long untilUs)
    {
        while (true)
        {
            long next = _queue.TryPeek(out _, out (long Time, long Order) key) ? key.Time : long.MaxValue;
            foreach (Member m in Members)
            {
                if (m.Up)
                {
                    next = Math.Min(next, m.Cluster.NextDeadlineUs);
                }
            }

            if (next > untilUs)
            {
                NowUs = untilUs;
                return;
            }

            NowUs = Math.Max(NowUs, next);
            while (_queue.TryPeek(out _, out key) && key.Time <= NowUs)
            {
                (Member to, int life, byte[] datagram) = _queue.Dequeue();
                if (to.Up && to.Life == life)
                {
                    to.Cluster.Receive(datagram, NowUs);
                }
            }

            foreach (Member m in Members)
            {
                if (m.Up && m.Cluster.NextDeadlineUs <= NowUs)
                {
                    m.Cluster.Tick(NowUs);
                }
            }
        }
    }

    public long RunUntil(Func<bool> condition, long limitUs, long stepUs = 1_000)
    {
        while (NowUs < limitUs)
        {
            if (condition())
            {
                return NowUs;
            }

            RunUntil(NowUs + stepUs);
        }

        return condition() ? NowUs : -1;
    }

    private void Transmit(Member from, Destination destination, ReadOnlySpan<byte> datagram)
    {
        foreach (Member to in Members)
        {
            if (to == from || !to.Up || (!destination.IsGroup && destination.Peer != to.Id))
            {
                continue;
            }

            if (Loss > 0 && _random.NextDouble() < Loss)
            {
                continue;
            }

            _queue.Enqueue((to, to.Life, datagram.ToArray()), (NowUs + 500 + _random.Next(1_500), _order++));
        }
    }

    internal sealed class Member : IDatagramSink, IDeliveryHandler, IPriceLogListener
    {
        private readonly ClusterNetwork _net;

        public Member(ClusterNetwork net, NodeId id)
        {
            _net = net;
            Id = id;
            Cluster = null!;
        }

        public NodeId Id { get; }

        public ClusterNode Cluster { get; private set; }

        public bool Up { get; private set; }

        public int Life { get; private set; }

        public List<PriceRecord> Held { get; } = [];

        public List<(NodeId Leader, ulong Term)> LeaderEvents { get; } = [];

        public ushort UtilizationBp { get; set; } = 5000;

        public uint Capacity { get; set; } = 100;

        public void Start(long nowUs)
        {
            Life++;
            Up = true;
            if (!_net._stores.TryGetValue(Id.Value, out InMemoryVoteStore? store))
            {
                _net._stores[Id.Value] = store = new InMemoryVoteStore();
            }

            Cluster = new ClusterNode(_net.Template with { Signer = TestKeys.Signer(Id.Value) }, TestKeys.Options(Id.Value, (ulong)Life), this, this, new SplitMix64Random((ulong)(Id.Value * 977) + (ulong)Life), store, nowUs)
            {
                PriceListener = this,
                UnixEpochOffsetUs = UnixEpochUs, // prices carry plausible unix times (2024)
            };
            Cluster.SetLoad(UtilizationBp, Capacity);
        }

        public void Crash()
        {
            Up = false;
            Cluster.Dispose();
        }

        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => _net.Transmit(this, destination, datagram);

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }

        public void OnLeadershipChanged(NodeId leader, ulong term) => LeaderEvents.Add((leader, term));

        public void OnRecordHeld(in PriceRecord record, long nowUs) => Held.Add(record);
    }
}
