using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Benchmarks.Firmware;

/// <summary>
/// Delivered messages per second from one sender to 4 receivers over real UDP on loopback
/// multicast (IP_MULTICAST_LOOP), against a plain UDP blast of datagrams of the same size in the
/// same run. Each benchmark invocation sends <see cref="Batch"/> messages and returns when all 4
/// receivers have them: for the protocol, delivered in order by <see cref="ProtocolNode"/>
/// (authenticated, sequenced, acknowledged through heartbeats, NACK/repair on loss); for the blast,
/// received by a plain socket (an invocation that loses datagrams waits for a 200 ms idle timeout, so
/// loss shows up as time). Ratio = blast time / protocol time. Sockets and threads are shaped like
/// the firmware's transport: a unicast socket that every send leaves from, a multicast socket per
/// receiver, one receive thread per socket, one lock per node.
/// </summary>
[MemoryDiagnoser]
public class UdpFanOutBenchmarks
{
    /// <summary>Messages per invocation.</summary>
    public const int Batch = 4_000;

    private const int Receivers = 4;
    private const int PayloadBytes = 64;
    private static readonly int DatagramBytes = WireCodec.DatagramSize(PayloadBytes + WireCodec.MaxPayload - ProtocolNode.MaxMulticastPayload);
    private readonly byte[] _payload = new byte[PayloadBytes];
    private Cluster _cluster = null!;
    private Blast _blast = null!;

    [GlobalSetup]
    public void Setup()
    {
        int id = Random.Shared.Next(1, 250);
        _cluster = new Cluster(new IPAddress([239, 255, 101, (byte)id]), FreePort());
        _blast = new Blast(new IPAddress([239, 255, 102, (byte)id]), FreePort(), DatagramBytes);
        _cluster.Run(_payload, 2 * Batch); // warm up and let every member see every other
        _blast.Run(Batch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cluster.Dispose();
        _blast.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "plain UDP blast, 1 -> 4 (same datagram size)")]
    public long PlainBlast() => _blast.Run(Batch);

    [Benchmark(OperationsPerInvoke = Batch, Description = "reliable ordered multicast (ProtocolNode), 1 -> 4, 64 B payload")]
    public long ReliableMulticast() => _cluster.Run(_payload, Batch);

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private static Socket Multicast(IPAddress group, int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(group, port));
        s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Loopback));
        s.ReceiveTimeout = 200;
        return s;
    }

    private static Socket Unicast()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        s.ReceiveTimeout = 200;
        return s;
    }

    /// <summary>The plain baseline: one socket sends, 4 sockets count.</summary>
    private sealed class Blast : IDisposable
    {
        private readonly Socket _sender = Unicast();
        private readonly Socket[] _receivers;
        private readonly long[] _received = new long[Receivers];
        private readonly Thread[] _threads;
        private readonly SocketAddress _group;
        private readonly byte[] _datagram;
        private volatile bool _stop;

        public Blast(IPAddress group, int port, int size)
        {
            _group = new IPEndPoint(group, port).Serialize();
            _datagram = new byte[size];
            _receivers = [.. Enumerable.Range(0, Receivers).Select(_ => Multicast(group, port))];
            _threads = [.. Enumerable.Range(0, Receivers).Select(i => new Thread(() => Loop(i)) { IsBackground = true })];
            foreach (Thread t in _threads)
            {
                t.Start();
            }
        }

        private void Loop(int i)
        {
            byte[] buffer = GC.AllocateArray<byte>(2048, pinned: true);
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!_stop)
            {
                try
                {
                    _receivers[i].ReceiveFrom(buffer, SocketFlags.None, from);
                    Interlocked.Increment(ref _received[i]);
                }
                catch (SocketException)
                {
                    // timeout: look at _stop again
                }
            }
        }

        public long Run(int messages)
        {
            long[] start = [.. _received.Select(r => Interlocked.Read(ref r))];
            for (int m = 0; m < messages; m++)
            {
                _sender.SendTo(_datagram, SocketFlags.None, _group);
            }
            long last = 0, lastChange = Stopwatch.GetTimestamp();
            while (true)
            {
                long total = 0;
                bool done = true;
                for (int i = 0; i < Receivers; i++)
                {
                    long got = Interlocked.Read(ref _received[i]) - start[i];
                    total += got;
                    done &= got >= messages;
                }
                if (done)
                {
                    return total;
                }
                if (total != last)
                {
                    last = total;
                    lastChange = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(lastChange) > TimeSpan.FromMilliseconds(200))
                {
                    return total; // lost datagrams: the idle timeout is part of the time
                }
                Thread.SpinWait(50);
            }
        }

        public void Dispose()
        {
            _stop = true;
            foreach (Thread t in _threads)
            {
                t.Join();
            }
            _sender.Dispose();
            foreach (Socket s in _receivers)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>Five ProtocolNodes over real sockets: node 1 publishes, nodes 2..5 deliver.</summary>
    private sealed class Cluster : IDisposable
    {
        private readonly Member[] _members;
        private volatile bool _stop;

        public Cluster(IPAddress group, int port)
        {
            byte[] secret = new byte[32];
            Random.Shared.NextBytes(secret);
            var endpoints = new Dictionary<uint, SocketAddress>();
            _members = [.. Enumerable.Range(1, Receivers + 1).Select(i => new Member(this, (uint)i, group, port, secret, endpoints))];
            foreach (Member m in _members)
            {
                endpoints[m.Id] = m.UnicastAddress;
            }
            foreach (Member m in _members)
            {
                m.Start();
            }
        }

        public bool Stopping => _stop;

        public long Run(byte[] payload, int messages)
        {
            Member sender = _members[0];
            long[] start = [.. _members.Skip(1).Select(m => Interlocked.Read(ref m.Delivered))];
            int sent = 0;
            while (true)
            {
                while (sent < messages)
                {
                    bool ok;
                    lock (sender.Lock)
                    {
                        ok = sender.Node.TryPublish(payload, NowUs());
                    }
                    if (!ok)
                    {
                        break; // window full: wait for stability
                    }
                    sent++;
                }
                bool done = sent == messages;
                long total = 0;
                for (int i = 1; i <= Receivers; i++)
                {
                    long got = Interlocked.Read(ref _members[i].Delivered) - start[i - 1];
                    total += got;
                    done &= got >= messages;
                }
                if (done)
                {
                    return total;
                }
                Thread.Yield();
            }
        }

        public void Dispose()
        {
            _stop = true;
            foreach (Member m in _members)
            {
                m.Dispose();
            }
        }
    }

    private sealed class Member : IDatagramSink, IDeliveryHandler, IDisposable
    {
        private readonly Cluster _cluster;
        private readonly Socket _unicast = Unicast();
        private readonly Socket _multicast;
        private readonly SocketAddress _group;
        private readonly Dictionary<uint, SocketAddress> _endpoints;
        private readonly Thread[] _threads;
        public long Delivered;

        public Member(Cluster cluster, uint id, IPAddress group, int port, byte[] secret, Dictionary<uint, SocketAddress> endpoints)
        {
            _cluster = cluster;
            Id = id;
            _endpoints = endpoints;
            _group = new IPEndPoint(group, port).Serialize();
            _multicast = Multicast(group, port);
            UnicastAddress = ((IPEndPoint)_unicast.LocalEndPoint!).Serialize();
            var options = new NodeOptions
            {
                Node = new NodeId(id),
                Incarnation = (ulong)NowUs() + 1,
                ClusterId = 9,
                Key = new ClusterKey(1, secret),
                HeartbeatIntervalUs = 5_000,
                FailureTimeoutUs = 5_000_000,
                RttEstimateUs = 1_000,
                MulticastSendWindow = 1024,
                MulticastRetention = 2048,
            };
            Node = new ProtocolNode(options, this, this, new SplitMix64Random(id), NowUs());
            _threads =
            [
                new Thread(() => ReceiveLoop(_unicast)) { IsBackground = true },
                new Thread(() => ReceiveLoop(_multicast)) { IsBackground = true },
                new Thread(TickLoop) { IsBackground = true },
            ];
        }

        public uint Id { get; }

        public object Lock { get; } = new();

        public ProtocolNode Node { get; }

        public SocketAddress UnicastAddress { get; }

        public void Start()
        {
            foreach (Thread t in _threads)
            {
                t.Start();
            }
        }

        private void ReceiveLoop(Socket socket)
        {
            byte[] buffer = GC.AllocateArray<byte>(2048, pinned: true);
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!_cluster.Stopping)
            {
                int n;
                try
                {
                    n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException)
                {
                    continue;
                }
                if (from.Equals(UnicastAddress))
                {
                    continue; // own multicast looped back
                }
                lock (Lock)
                {
                    Node.Receive(buffer.AsSpan(0, n), NowUs());
                }
            }
        }

        private void TickLoop()
        {
            while (!_cluster.Stopping)
            {
                long wait;
                lock (Lock)
                {
                    long now = NowUs();
                    if (now >= Node.NextDeadlineUs)
                    {
                        Node.Tick(now);
                    }
                    wait = Node.NextDeadlineUs - NowUs();
                }
                Thread.Sleep((int)Math.Clamp(wait / 1000, 0, 5));
            }
        }

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
            SocketAddress to = destination.IsGroup ? _group : _endpoints[destination.Peer.Value];
            try
            {
                _unicast.SendTo(datagram, SocketFlags.None, to);
            }
            catch (SocketException)
            {
                // ENOBUFS under a burst: the protocol repairs it
            }
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload) => Interlocked.Increment(ref Delivered);

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }

        public void Dispose()
        {
            foreach (Thread t in _threads)
            {
                t.Join();
            }
            _unicast.Dispose();
            _multicast.Dispose();
        }
    }
}
