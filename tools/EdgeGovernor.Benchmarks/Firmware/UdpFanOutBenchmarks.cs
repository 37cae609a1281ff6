using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Benchmarks.Firmware;

/// <summary>
/// Delivered messages per second from one sender to 4 receivers over real UDP on loopback
/// multicast (IP_MULTICAST_LOOP), against plain UDP blasts of datagrams of the same size in the
/// same run. Each invocation sends <see cref="Batch"/> messages and returns when all 4 receivers
/// have them (counted at the receivers, never at the sender):
/// <list type="bullet">
/// <item>the plain blast (the baseline): one socket sends, 4 sockets joined to the group each count
/// in a thread blocked in <c>recvfrom</c>;</item>
/// <item>the same blast through the firmware's <see cref="UdpTransport"/> (5 transports like the
/// cluster's, sends batched in <c>sendmmsg</c> like the nodes' loops, the receivers in a loop of
/// <c>epoll_wait</c> + <c>recvmmsg</c>): what the transport alone gives, so the protocol's own cost can be read off;</item>
/// <item>the protocol: 5 <see cref="ProtocolNode"/>s, each on its own <see cref="UdpTransport"/> and
/// agent thread shaped like the firmware's NodeHost loop (drain, tick when due, sleep in the
/// transport) that also batches its sends (<see cref="UdpTransport.BeginBatch"/>); node 1 publishes
/// from its agent thread, nodes 2..5 deliver in order (authenticated, sequenced, stability through
/// heartbeats every 5 ms, NACK/repair on loss). The send window (4096) covers the throughput times
/// the stability delay (a message is freed one receiver heartbeat plus one sender heartbeat after
/// delivery, 5-10 ms): with 1024 the sender stalls on the window at about 7 us per message.</item>
/// </list>
/// An invocation that loses datagrams waits for a 200 ms idle timeout, so loss shows up as time;
/// losses, kernel drops, NACKs and repairs are printed at cleanup. Ratio = blast time / protocol time.
/// </summary>
[MemoryDiagnoser]
public class UdpFanOutBenchmarks
{
    /// <summary>Messages per invocation.</summary>
    public const int Batch = 4_000;

    private const int Receivers = 4;
    private const int PayloadBytes = 64;
    private static readonly int DatagramBytes = WireCodec.DatagramSize(PayloadBytes + WireCodec.MaxPayload - ProtocolNode.MaxMulticastPayload);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private Cluster _cluster = null!;
    private Blast _blast = null!;
    private TransportBlastRig _transportBlast = null!;

    [GlobalSetup]
    public void Setup()
    {
        int id = Random.Shared.Next(1, 250);
        _cluster = new Cluster(new IPAddress([239, 255, 101, (byte)id]), FreePort());
        _blast = new Blast(new IPAddress([239, 255, 102, (byte)id]), FreePort(), DatagramBytes);
        _transportBlast = new TransportBlastRig(new IPAddress([239, 255, 103, (byte)id]), FreePort(), DatagramBytes);
        _cluster.Run(2 * Batch); // warm up, let every member see every other; stability starts after the 5 s failure timeout
        _blast.Run(Batch);
        _transportBlast.Run(Batch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// fan-out: plain blast {_blast.Arrivals.Report()}; transport blast {_transportBlast.Arrivals.Report()}, {_transportBlast.Report()}; protocol {_cluster.Arrivals.Report()}, {_cluster.Report()}");
        _cluster.Dispose();
        _blast.Dispose();
        _transportBlast.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "plain UDP blast, 1 -> 4, recvfrom threads (same datagram size)")]
    public long PlainBlast() => _blast.Run(Batch);

    [Benchmark(OperationsPerInvoke = Batch, Description = "UDP blast through UdpTransport, 1 -> 4, sendmmsg, epoll + recvmmsg (same datagram size)")]
    public long TransportBlast() => _transportBlast.Run(Batch);

    [Benchmark(OperationsPerInvoke = Batch, Description = "reliable ordered multicast (ProtocolNode on UdpTransport), 1 -> 4, 64 B payload")]
    public long ReliableMulticast() => _cluster.Run(Batch);

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private static string PerCall(IEnumerable<UdpTransport> receivers) =>
        $"receivers took {receivers.Sum(t => t.DatagramsReceived) / (double)Math.Max(1, receivers.Sum(t => t.ReceiveCalls)):0.0} datagrams per recvmmsg";

    private static UdpTransport Transport(IPAddress group, int port) => new(new UdpTransportOptions(group, port, IPAddress.Loopback, 0));

    /// <summary>Counts what each receiver got and wakes the benchmark thread when all have their target.</summary>
    private sealed class Arrivals
    {
        private readonly long[] _counts = new long[Receivers * 8]; // one cache line per receiver
        private readonly long[] _targets = new long[Receivers];
        private readonly ManualResetEventSlim _done = new(false);
        private int _remaining;
        private long _expected;
        private long _got;
        private int _timeouts;

        public void Arrive(int receiver)
        {
            if (Interlocked.Increment(ref _counts[receiver * 8]) == Volatile.Read(ref _targets[receiver]) && Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.Set();
            }
        }

        /// <summary>Arms the targets; call before sending.</summary>
        public long[] Expect(int messages)
        {
            long[] start = new long[Receivers];
            _done.Reset();
            Volatile.Write(ref _remaining, Receivers);
            for (int i = 0; i < Receivers; i++)
            {
                start[i] = Interlocked.Read(ref _counts[i * 8]);
                Volatile.Write(ref _targets[i], start[i] + messages);
            }
            return start;
        }

        /// <summary>Waits until every receiver has its target, or until nothing arrived for <paramref name="idle"/> (loss).</summary>
        public long Wait(long[] start, int messages, TimeSpan idle)
        {
            long last = -1;
            while (true)
            {
                bool done = _done.Wait(idle);
                long total = 0;
                for (int i = 0; i < Receivers; i++)
                {
                    total += Interlocked.Read(ref _counts[i * 8]) - start[i];
                }
                if (done || total == last)
                {
                    _expected += (long)Receivers * messages;
                    _got += Math.Min(total, (long)Receivers * messages);
                    _timeouts += done ? 0 : 1;
                    return total;
                }
                last = total;
            }
        }

        public string Report() => $"{_got:N0} of {_expected:N0} delivered, {_timeouts} idle timeouts";
    }

    /// <summary>A blast: one sender, <see cref="Receivers"/> receive threads counting into <see cref="Arrivals"/>.</summary>
    private abstract class BlastRig : IDisposable
    {
        private Thread[] _threads = [];
        private volatile bool _stop;

        public Arrivals Arrivals { get; } = new();

        protected bool Stopping => _stop;

        /// <summary>Starts one thread per receiver running <see cref="ReceiveLoop"/>.</summary>
        protected void StartReceivers()
        {
            _threads = [.. Enumerable.Range(0, Receivers).Select(i => new Thread(() => ReceiveLoop(i)) { IsBackground = true })];
            foreach (Thread t in _threads)
            {
                t.Start();
            }
        }

        protected abstract void ReceiveLoop(int receiver);

        protected virtual void BeginSending()
        {
        }

        protected abstract void SendOne();

        protected virtual void EndSending()
        {
        }

        protected abstract void Close();

        public long Run(int messages)
        {
            long[] start = Arrivals.Expect(messages);
            BeginSending();
            for (int m = 0; m < messages; m++)
            {
                SendOne();
            }
            EndSending();
            return Arrivals.Wait(start, messages, IdleTimeout);
        }

        public void Dispose()
        {
            _stop = true;
            foreach (Thread t in _threads)
            {
                t.Join();
            }
            Close();
        }
    }

    /// <summary>The plain baseline: one socket sends, 4 sockets count, each in a blocking recvfrom thread.</summary>
    private sealed class Blast : BlastRig
    {
        private readonly Socket _sender;
        private readonly Socket[] _receivers;
        private readonly SocketAddress _group;
        private readonly byte[] _datagram;

        public Blast(IPAddress group, int port, int size)
        {
            _group = new IPEndPoint(group, port).Serialize();
            _datagram = new byte[size];
            _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 4 << 20 };
            _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
            _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            _receivers = [.. Enumerable.Range(0, Receivers).Select(_ => Multicast(group, port))];
            StartReceivers();
        }

        private static Socket Multicast(IPAddress group, int port)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(group, port));
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Loopback));
            s.ReceiveTimeout = 200;
            return s;
        }

        protected override void ReceiveLoop(int receiver)
        {
            byte[] buffer = GC.AllocateArray<byte>(2048, pinned: true);
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!Stopping)
            {
                try
                {
                    _receivers[receiver].ReceiveFrom(buffer, SocketFlags.None, from);
                    Arrivals.Arrive(receiver);
                }
                catch (SocketException)
                {
                    // timeout: look at Stopping again
                }
            }
        }

        protected override void SendOne() => _sender.SendTo(_datagram, SocketFlags.None, _group);

        protected override void Close()
        {
            _sender.Dispose();
            foreach (Socket s in _receivers)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>The same blast through the firmware's transport: 5 transports, 4 of them counting in a drain loop.</summary>
    private sealed class TransportBlastRig : BlastRig
    {
        private readonly UdpTransport _sender;
        private readonly UdpTransport[] _receivers;
        private readonly byte[] _datagram;

        public TransportBlastRig(IPAddress group, int port, int size)
        {
            _datagram = new byte[size];
            _sender = Transport(group, port);
            _receivers = [.. Enumerable.Range(0, Receivers).Select(_ => Transport(group, port))];
            StartReceivers();
        }

        public string Report() => PerCall(_receivers);

        protected override void ReceiveLoop(int receiver)
        {
            var counter = new Counter(Arrivals, receiver);
            while (!Stopping)
            {
                _receivers[receiver].Drain(counter, 256);
                _receivers[receiver].WaitForData(5);
            }
        }

        protected override void BeginSending() => _sender.BeginBatch();

        protected override void SendOne() => _sender.SendToGroup(_datagram);

        protected override void EndSending() => _sender.FlushSends();

        protected override void Close()
        {
            _sender.Dispose();
            foreach (UdpTransport t in _receivers)
            {
                t.Dispose();
            }
        }

        private sealed class Counter(Arrivals arrivals, int receiver) : IDatagramConsumer
        {
            public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast) => arrivals.Arrive(receiver);
        }
    }

    /// <summary>Five ProtocolNodes on UdpTransports: node 1 publishes, nodes 2..5 deliver.</summary>
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

        public Arrivals Arrivals { get; } = new();

        public long Run(int messages)
        {
            long[] start = Arrivals.Expect(messages);
            _members[0].Publish(messages);
            return Arrivals.Wait(start, messages, HangGuard); // the protocol repairs its own losses
        }

        public string Report()
        {
            ProtocolCounters s = _members[0].Node.Counters;
            long drops = _members.Sum(m => m.Transport.QueueDrops);
            long nacks = _members.Sum(m => m.Node.Counters.NacksSent);
            long datagrams = _members.Sum(m => m.Transport.DatagramsSent);
            return $"sender published {s.MulticastPublished:N0}, repairs {s.RepairsSent:N0}, NACKs {nacks:N0}, kernel drops {drops:N0}, datagrams sent by all {datagrams:N0}, {PerCall(_members.Skip(1).Select(m => m.Transport))}";
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

    /// <summary>One node: a transport, a ProtocolNode and an agent thread (drain, tick, publish, sleep in the transport).</summary>
    private sealed class Member : IDatagramSink, IDeliveryHandler, IDatagramConsumer, IDisposable
    {
        private readonly Cluster _cluster;
        private readonly Dictionary<uint, SocketAddress> _endpoints;
        private readonly Thread _thread;
        private readonly byte[] _payload = new byte[PayloadBytes];
        private long _toPublish;

        public Member(Cluster cluster, uint id, IPAddress group, int port, byte[] secret, Dictionary<uint, SocketAddress> endpoints)
        {
            _cluster = cluster;
            Id = id;
            _endpoints = endpoints;
            Transport = UdpFanOutBenchmarks.Transport(group, port);
            UnicastAddress = Transport.LocalEndPoint.Serialize();
            var options = new NodeOptions
            {
                Node = new NodeId(id),
                Incarnation = (ulong)NowUs() + 1,
                ClusterId = 9,
                Key = new ClusterKey(1, secret),
                HeartbeatIntervalUs = 5_000,
                FailureTimeoutUs = 5_000_000,
                RttEstimateUs = 1_000,
                MulticastSendWindow = 4096,
                MulticastRetention = 8192,
            };
            Node = new ProtocolNode(options, this, this, new SplitMix64Random(id), NowUs());
            _thread = new Thread(Loop) { IsBackground = true, Name = $"fanout-node-{id}" };
        }

        public uint Id { get; }

        public ProtocolNode Node { get; }

        public UdpTransport Transport { get; }

        public SocketAddress UnicastAddress { get; }

        public void Start() => _thread.Start();

        /// <summary>Asks the agent thread to publish <paramref name="messages"/> more (thread-safe).</summary>
        public void Publish(int messages)
        {
            Interlocked.Add(ref _toPublish, messages);
            Transport.Wake();
        }

        private void Loop()
        {
            while (!_cluster.Stopping)
            {
                Transport.BeginBatch(); // this turn's sends leave in sendmmsg batches (at the latest when the loop waits)
                Transport.Drain(this, 256);
                long now = NowUs();
                if (now >= Node.NextDeadlineUs)
                {
                    Node.Tick(now);
                }
                long pending = Interlocked.Read(ref _toPublish);
                long published = 0;
                while (published < pending && Node.TryPublish(_payload, now))
                {
                    published++;
                }
                if (published > 0)
                {
                    Interlocked.Add(ref _toPublish, -published);
                }
                long waitUs = Node.NextDeadlineUs - NowUs();
                if (waitUs > 0)
                {
                    Transport.WaitForData((int)Math.Min(5, (waitUs + 999) / 1000));
                }
            }
        }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast) => Node.Receive(datagram, NowUs());

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
            if (destination.IsGroup)
            {
                Transport.SendToGroup(datagram);
            }
            else
            {
                Transport.SendTo(datagram, _endpoints[destination.Peer.Value]);
            }
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
            if (Id != 1)
            {
                _cluster.Arrivals.Arrive((int)Id - 2);
            }
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }

        public void Dispose()
        {
            Transport.Wake();
            _thread.Join();
            Transport.Dispose();
            Node.Dispose();
        }
    }
}
