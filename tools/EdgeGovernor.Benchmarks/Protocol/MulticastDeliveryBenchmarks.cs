using BenchmarkDotNet.Attributes;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Benchmarks.Protocol;

/// <summary>
/// Reliable ordered multicast, per message: the publisher's TryPublish (encode + seal) and the
/// receiver's Receive (decode + verify + replay check + holdback + in-order delivery), with 1 % of the
/// data datagrams lost, so that the NACK / repair path runs too (the NACK, the repair, and the
/// heartbeats that carry stability are included in the figure). Zero-latency in-memory link.
/// </summary>
[MemoryDiagnoser]
public class MulticastDeliveryBenchmarks
{
    private const int Batch = 10_000;
    private readonly byte[] _payload = new byte[64];
    private Pair _pair = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new Pair(gapEvery: 100);
        _pair.Run(_payload, 50_000); // past the start grace; every buffer grown
    }

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    [Benchmark(OperationsPerInvoke = Batch, Description = "publish -> receive -> deliver, 1 % gaps (64 B)")]
    public long PublishReceiveDeliver() => _pair.Run(_payload, Batch);

    /// <summary>A publisher and a receiver over a preallocated in-memory queue that drops every n-th data datagram.</summary>
    private sealed class Pair : IDisposable
    {
        private const int Capacity = 1024;
        private readonly byte[][] _buffers = Enumerable.Range(0, Capacity).Select(_ => new byte[WireCodec.MaxDatagram]).ToArray();
        private readonly int[] _lengths = new int[Capacity];
        private readonly bool[] _toReceiver = new bool[Capacity];
        private readonly int _gapEvery;
        private readonly ProtocolNode _publisher;
        private readonly ProtocolNode _receiver;
        private int _head;
        private int _tail;
        private long _data;
        private long _now;

        public Pair(int gapEvery)
        {
            _gapEvery = gapEvery;
            _publisher = Create(1, toReceiver: true);
            _receiver = Create(2, toReceiver: false);
        }

        public long Delivered { get; private set; }

        public long Run(byte[] payload, int messages)
        {
            for (int i = 0; i < messages; i++)
            {
                while (!_publisher.TryPublish(payload, _now))
                {
                    _now += 100;
                    Tick();
                }

                Pump();
                _now += 10;
                if (i % 20 == 0)
                {
                    Tick();
                }
            }

            return Delivered;
        }

        public void Dispose()
        {
            _publisher.Dispose();
            _receiver.Dispose();
        }

        private ProtocolNode Create(uint id, bool toReceiver)
        {
            byte[] secret = new byte[32];
            new Random(7).NextBytes(secret);
            var options = new NodeOptions
            {
                Node = new NodeId(id),
                Incarnation = 1,
                ClusterId = 0xED6E0001,
                Key = new ClusterKey(1, secret),
                HeartbeatIntervalUs = 1_000,
                FailureTimeoutUs = 20_000,
                RttEstimateUs = 100,
                GapCheckIntervalUs = 500,
            };
            var side = new Side(this, toReceiver);
            return new ProtocolNode(options, side, side, new SplitMix64Random(id), 0);
        }

        private void Tick()
        {
            _publisher.Tick(_now);
            _receiver.Tick(_now);
            Pump();
        }

        private void Pump()
        {
            while (_head != _tail)
            {
                int i = _head;
                _head = (_head + 1) % Capacity;
                (_toReceiver[i] ? _receiver : _publisher).Receive(_buffers[i].AsSpan(0, _lengths[i]), _now);
            }
        }

        private void Enqueue(bool toReceiver, ReadOnlySpan<byte> datagram)
        {
            if (toReceiver && datagram[3] == (byte)MessageType.MulticastData && ++_data % _gapEvery == 0)
            {
                return;
            }

            datagram.CopyTo(_buffers[_tail]);
            _lengths[_tail] = datagram.Length;
            _toReceiver[_tail] = toReceiver;
            _tail = (_tail + 1) % Capacity;
        }

        private sealed class Side(Pair pair, bool toReceiver) : IDatagramSink, IDeliveryHandler
        {
            public void Send(Destination destination, ReadOnlySpan<byte> datagram) => pair.Enqueue(toReceiver, datagram);

            public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
            {
                if (!toReceiver)
                {
                    pair.Delivered++;
                }
            }

            public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
            {
            }
        }
    }
}
