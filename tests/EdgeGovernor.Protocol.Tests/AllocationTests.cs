using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests;

/// <summary>The hot path allocates nothing in steady state: measured, not assumed.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Codec_seal_decode_verify_allocate_nothing()
    {
        using var keys = new KeyRing(TestKeys.Key(1));
        byte[] payload = new byte[64];
        byte[] datagram = new byte[WireCodec.MaxDatagram];
        long sum = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                var header = new MessageHeader(MessageType.MulticastData, TestKeys.Cluster, new NodeId(2), 1, 0, (ulong)i + 1, 64, 1);
                int length = WireCodec.Encode(datagram, header, payload);
                Span<byte> d = datagram.AsSpan(0, length);
                keys.Seal(d);
                if (WireCodec.TryDecode(d, TestKeys.Cluster, out MessageHeader decoded, out ReadOnlySpan<byte> body) == DropReason.None
                    && keys.Verify(d) == DropReason.None)
                {
                    sum += (long)decoded.Sequence + body.Length;
                }
            }
        }

        Run(10_000);
        AllocationAssert.NothingInSteadyState("34,000 seal/decode/verify", _ => Run(34_000));
        Assert.True(sum > 0);
    }

    [Fact]
    public void Publish_through_delivery_with_one_percent_gaps_allocates_nothing()
    {
        var link = new Link();
        using var a = link.AddNode(1);
        using var b = link.AddNode(2);
        byte[] payload = new byte[64];
        long now = 0;
        int dataSeen = 0;
        link.Drop = (from, bytes) => from == 1 && Frames.TypeOf(bytes) == MessageType.MulticastData && ++dataSeen % 100 == 0;

        void Run(int messages)
        {
            for (int i = 0; i < messages; i++)
            {
                payload[0] = (byte)i;
                while (!a.TryPublish(payload, now))
                {
                    now += 100;
                    link.Tick(now);
                }

                link.Pump(now);
                now += 10;
                if (i % 20 == 0)
                {
                    link.Tick(now);
                }
            }
        }

        // Warm up: start grace, every stream and peer seen, buffers grown.
        Run(30_000);
        long deliveredBefore = link.Delivered[1];
        AllocationAssert.NothingInSteadyState("34,000 messages", _ => Run(34_000));

        Assert.True(link.Delivered[1] - deliveredBefore >= 99_000, $"delivered {link.Delivered[1] - deliveredBefore}");
        Assert.True(b.Counters.NacksSent > 1000);
        Assert.True(a.Counters.RepairsSent > 1000);
        Assert.Equal(0, b.Counters.DroppedTotal);
        Assert.Equal(0, b.Counters.MessagesSkipped);
    }

    /// <summary>Two or more nodes joined by a zero-latency in-memory link with preallocated buffers.</summary>
    private sealed class Link
    {
        private const int Capacity = 4096;
        private readonly byte[][] _buffers = Enumerable.Range(0, Capacity).Select(_ => new byte[WireCodec.MaxDatagram]).ToArray();
        private readonly int[] _lengths = new int[Capacity];
        private readonly uint[] _from = new uint[Capacity];
        private readonly uint[] _to = new uint[Capacity];
        private readonly List<ProtocolNode> _nodes = new();
        private int _head;
        private int _tail;

        public long[] Delivered { get; } = new long[8];

        public Func<uint, byte[], bool>? Drop { get; set; }

        public ProtocolNode AddNode(uint id)
        {
            var endpoint = new Endpoint(this, id);
            var options = TestKeys.Options(id) with { HeartbeatIntervalUs = 1_000, FailureTimeoutUs = 20_000, RttEstimateUs = 100, GapCheckIntervalUs = 500 };
            var node = new ProtocolNode(options, endpoint, endpoint, new SplitMix64Random(id), 0);
            _nodes.Add(node);
            return node;
        }

        public void Tick(long now)
        {
            foreach (ProtocolNode n in _nodes)
            {
                n.Tick(now);
            }

            Pump(now);
        }

        public void Pump(long now)
        {
            while (_head != _tail)
            {
                int i = _head;
                _head = (_head + 1) % Capacity;
                foreach (ProtocolNode n in _nodes)
                {
                    if (n.Id.Value != _from[i] && (_to[i] == 0 || _to[i] == n.Id.Value))
                    {
                        n.Receive(_buffers[i].AsSpan(0, _lengths[i]), now);
                    }
                }
            }
        }

        private void Enqueue(uint from, Destination destination, ReadOnlySpan<byte> datagram)
        {
            byte[] buffer = _buffers[_tail];
            datagram.CopyTo(buffer);
            if (Drop?.Invoke(from, buffer) == true)
            {
                return;
            }

            _lengths[_tail] = datagram.Length;
            _from[_tail] = from;
            _to[_tail] = destination.Peer.Value;
            _tail = (_tail + 1) % Capacity;
            if (_tail == _head)
            {
                throw new InvalidOperationException("The test link overflowed.");
            }
        }

        private sealed class Endpoint(Link link, uint id) : IDatagramSink, IDeliveryHandler
        {
            public void Send(Destination destination, ReadOnlySpan<byte> datagram) => link.Enqueue(id, destination, datagram);

            public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
            {
                if (id != sender.Value)
                {
                    link.Delivered[sender.Value]++;
                }
            }

            public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
            {
            }
        }
    }
}
