using EdgeGovernor.Protocol;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>
/// A small in-test network of <see cref="ProtocolNode"/>s in virtual time: per-datagram latency
/// (uniform, so datagrams reorder), loss, duplication, a drop filter for targeted losses, crashes.
/// Deterministic for a seed. The simulator (tools/EdgeGovernor.Simulator) is the full model; this one
/// only exercises the channels.
/// </summary>
internal sealed class TestNetwork
{
    private readonly Random _random;
    private readonly PriorityQueue<Pending, (long, long)> _queue = new();
    private readonly List<Host> _hosts = new();
    private long _order;

    public TestNetwork(int seed) => _random = new Random(seed);

    public long NowUs { get; private set; }

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public long MinLatencyUs { get; set; } = 500;

    public long MaxLatencyUs { get; set; } = 3_000;

    /// <summary>Return true to drop a datagram (from, to, bytes).</summary>
    public Func<NodeId, NodeId, byte[], bool>? DropFilter { get; set; }

    public IReadOnlyList<Host> Hosts => _hosts;

    public Host Add(NodeOptions options)
    {
        var host = new Host(this, options);
        _hosts.Add(host);
        return host;
    }

    public Host this[uint id] => _hosts.First(h => h.Id.Value == id);

    public void Crash(Host host)
    {
        host.Crashed = true;
        host.Node.Dispose();
    }

    /// <summary>Runs events and ticks until <paramref name="untilUs"/>; <paramref name="step"/> runs every <paramref name="stepIntervalUs"/>.</summary>
    public void RunUntil(long untilUs, Action<long>? step = null, long stepIntervalUs = 1_000)
    {
        long nextStep = step is null ? long.MaxValue : NowUs;
        long lastTime = -1;
        int spins = 0;
        long[] deadlines = new long[_hosts.Count];
        for (int i = 0; i < deadlines.Length; i++)
        {
            deadlines[i] = Deadline(_hosts[i]);
        }

        while (true)
        {
            long next = nextStep;
            if (_queue.TryPeek(out _, out (long Time, long) key))
            {
                next = Math.Min(next, key.Time);
            }

            for (int i = 0; i < deadlines.Length; i++)
            {
                next = Math.Min(next, deadlines[i]);
            }

            if (next > untilUs)
            {
                NowUs = untilUs;
                return;
            }

            NowUs = Math.Max(NowUs, next);
            spins = NowUs == lastTime ? spins + 1 : 0;
            lastTime = NowUs;
            if (spins > 100_000)
            {
                throw new InvalidOperationException("The test network made no progress in time (a timer does not advance).");
            }

            if (NowUs >= nextStep)
            {
                step!(NowUs);
                nextStep = NowUs + stepIntervalUs;
                for (int i = 0; i < deadlines.Length; i++)
                {
                    deadlines[i] = Deadline(_hosts[i]);
                }
            }

            while (_queue.TryPeek(out Pending p, out (long Time, long) k) && k.Time <= NowUs)
            {
                _queue.Dequeue();
                Host to = _hosts[p.To];
                if (!to.Crashed)
                {
                    to.Node.Receive(p.Bytes, NowUs);
                    deadlines[p.To] = Deadline(to);
                }
            }

            for (int i = 0; i < deadlines.Length; i++)
            {
                if (deadlines[i] <= NowUs)
                {
                    _hosts[i].Node.Tick(NowUs);
                    deadlines[i] = Deadline(_hosts[i]);
                }
            }
        }
    }

    private static long Deadline(Host h) => h.Crashed ? long.MaxValue : h.Node.NextDeadlineUs;

    private void Send(Host from, Destination destination, ReadOnlySpan<byte> datagram)
    {
        if (from.Crashed)
        {
            return;
        }

        byte[] bytes = datagram.ToArray();
        for (int i = 0; i < _hosts.Count; i++)
        {
            Host to = _hosts[i];
            if (to == from || (!destination.IsGroup && destination.Peer != to.Id))
            {
                continue;
            }

            if (DropFilter?.Invoke(from.Id, to.Id, bytes) == true || _random.NextDouble() < Loss)
            {
                continue;
            }

            int copies = _random.NextDouble() < Duplication ? 2 : 1;
            for (int c = 0; c < copies; c++)
            {
                long at = NowUs + MinLatencyUs + (long)(_random.NextDouble() * (MaxLatencyUs - MinLatencyUs));
                _queue.Enqueue(new Pending(i, bytes), (at, _order++));
            }
        }
    }

    private readonly record struct Pending(int To, byte[] Bytes);

    /// <summary>One node with a recording delivery handler.</summary>
    internal sealed class Host : IDatagramSink, IDeliveryHandler
    {
        private readonly TestNetwork _network;

        public Host(TestNetwork network, NodeOptions options)
        {
            _network = network;
            Node = new ProtocolNode(options, this, this, new SplitMix64Random((ulong)network._random.NextInt64()), network.NowUs);
        }

        public NodeId Id => Node.Id;

        public ProtocolNode Node { get; }

        public bool Crashed { get; set; }

        /// <summary>Per sender: the delivered multicast sequence numbers and payloads, in delivery order.</summary>
        public Dictionary<NodeId, List<(ulong Sequence, byte[] Payload)>> Multicast { get; } = new();

        public Dictionary<NodeId, List<byte[]>> Unicast { get; } = new();

        public List<(NodeId Member, bool Alive)> MembershipEvents { get; } = new();

        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => _network.Send(this, destination, datagram);

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
            if (!Multicast.TryGetValue(sender, out var list))
            {
                Multicast[sender] = list = new();
            }

            list.Add((sequence, payload.ToArray()));
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
            if (!Unicast.TryGetValue(sender, out var list))
            {
                Unicast[sender] = list = new();
            }

            list.Add(payload.ToArray());
        }

        public void OnMembershipChanged(NodeId member, ulong incarnation, bool alive) => MembershipEvents.Add((member, alive));
    }
}
