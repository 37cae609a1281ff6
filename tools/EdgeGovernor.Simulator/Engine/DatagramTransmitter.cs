using EdgeGovernor.Simulator.Network;
using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// The sending side of the engine: a datagram a node sends is classified, counted, hashed into the trace and copied once
/// into a pooled <see cref="PacketBuffer"/>; the <see cref="NetworkModel"/> decides, with the network random stream, what
/// is lost at the sender, blocked by a partition, lost, duplicated or delayed on each link; the arrivals go on the agenda
/// (a unicast as <see cref="EventKind.Deliver"/> events, a group send as one pooled <see cref="FanOut"/> whose next arrival
/// is on the agenda). Owns the packet pool and the fan-outs; loss events are counted here.
/// </summary>
internal sealed class DatagramTransmitter(NetworkModel network, SimulationStats stats, EventQueue queue, INodeFactory factory,
    ISimulatedNode?[] nodes, TraceHasher trace, Xoshiro256StarStar networkRandom)
{
    private readonly NetworkModel _network = network;
    private readonly SimulationStats _stats = stats;
    private readonly EventQueue _queue = queue;
    private readonly INodeFactory _factory = factory;
    private readonly ISimulatedNode?[] _nodes = nodes;
    private readonly TraceHasher _trace = trace;
    private readonly PacketPool _pool = new();
    private readonly List<FanOut> _fanOuts = [];
    private readonly Stack<FanOut> _freeFanOuts = new();
    private Xoshiro256StarStar _networkRandom = networkRandom;

    /// <summary>Packet buffers the pool has created (its high-water mark).</summary>
    public int PacketBuffersCreated => _pool.Created;

    /// <summary>The fan-out an agenda event of kind <see cref="EventKind.FanOut"/> names.</summary>
    public FanOut FanOutAt(int id) => _fanOuts[id];

    /// <summary>Drops one reference to a delivered (or discarded) packet.</summary>
    public void Release(PacketBuffer packet) => _pool.Release(packet);

    /// <summary>After an arrival of <paramref name="fan"/>: puts its next arrival on the agenda, or ends it after the last.</summary>
    public void NextArrival(FanOut fan)
    {
        if (fan.Advance())
        {
            _queue.Push(new ScheduledEvent { TimeUs = fan.TimeAtCursor, Kind = EventKind.FanOut, Node = -1, Argument = fan.Id });
            return;
        }

        EndFanOut(fan);
    }

    /// <summary>Ends a fan-out: its packet reference goes back to the pool, the fan-out to the free list.</summary>
    public void EndFanOut(FanOut fan)
    {
        _pool.Release(fan.End());
        _freeFanOuts.Push(fan);
    }

    public void SendToGroup(int from, ReadOnlySpan<byte> datagram, long nowUs)
    {
        PacketBuffer packet = Sent(datagram);
        PacketClass cls = packet.Class;
        bool data = cls == PacketClass.Data;
        int n = _nodes.Length;
        if (_network.LostAtSender(cls, ref _networkRandom))
        {
            _stats.LostAtSender++;
            if (data)
            {
                int missed = 0;
                for (int r = 0; r < n; r++)
                {
                    missed += r != from && _nodes[r] is not null ? 1 : 0;
                }

                CountLoss(missed);
            }

            _pool.Release(packet);
            return;
        }

        if (!_freeFanOuts.TryPop(out FanOut? fan))
        {
            fan = new FanOut(_fanOuts.Count);
            _fanOuts.Add(fan);
        }

        fan.Begin(packet); // the fan-out keeps the sender's reference until its last arrival
        Span<long> delays = stackalloc long[2];
        int misses = 0;
        for (int r = 0; r < n; r++)
        {
            if (r == from || _nodes[r] is null)
            {
                continue;
            }

            if (_network.IsBlocked(from, r))
            {
                _stats.BlockedByPartition++;
                misses++;
                continue;
            }

            int copies = _network.Decide(from, r, cls, ref _networkRandom, delays);
            if (copies == 0)
            {
                _stats.LostAtReceiver++;
                misses++;
                continue;
            }

            _stats.Duplicated += copies - 1;
            for (int c = 0; c < copies; c++)
            {
                fan.Add(ArrivalTime(nowUs, delays[c]), r);
            }
        }

        if (data)
        {
            CountLoss(misses);
        }

        if (fan.Count == 0)
        {
            EndFanOut(fan);
            return;
        }

        fan.Sort();
        _queue.Push(new ScheduledEvent { TimeUs = fan.TimeAtCursor, Kind = EventKind.FanOut, Node = -1, Argument = fan.Id });
    }

    private static long ArrivalTime(long nowUs, long delayUs) => Math.Min(nowUs + delayUs, FanOut.MaxTimeUs);

    public void SendToNode(int from, uint nodeId, ReadOnlySpan<byte> datagram, long nowUs)
    {
        PacketBuffer packet = Sent(datagram);
        int to = (int)nodeId - 1;
        if (nodeId == 0 || to >= _nodes.Length)
        {
            _stats.UnknownDestination++;
        }
        else if (_network.LostAtSender(packet.Class, ref _networkRandom))
        {
            _stats.LostAtSender++;
        }
        else
        {
            Transmit(from, to, packet, stackalloc long[2], nowUs);
        }

        _pool.Release(packet);
    }

    private void CountLoss(int misses)
    {
        if (misses > 0)
        {
            _stats.LossEvents++;
            _stats.ReceiverMisses += misses;
        }
    }

    private PacketBuffer Sent(ReadOnlySpan<byte> datagram)
    {
        PacketClass cls = _factory.Classify(datagram);
        PacketBuffer packet = _pool.Rent(datagram, cls);
        _stats.DatagramsSent++;
        _stats.BytesSent += datagram.Length;
        switch (cls)
        {
            case PacketClass.Data:
                _stats.DataSent++;
                break;
            case PacketClass.Repair:
                _stats.RepairsSent++;
                break;
            case PacketClass.Nack:
                _stats.NacksSent++;
                break;
            default:
                _stats.ControlSent++;
                break;
        }

        _trace.Mix(TraceHasher.HashBytes(datagram));
        return packet;
    }

    private void Transmit(int from, int to, PacketBuffer packet, Span<long> delays, long nowUs)
    {
        if (_network.IsBlocked(from, to))
        {
            _stats.BlockedByPartition++;
            return;
        }

        int copies = _network.Decide(from, to, packet.Class, ref _networkRandom, delays);
        if (copies == 0)
        {
            _stats.LostAtReceiver++;
            return;
        }

        _stats.Duplicated += copies - 1;
        for (int c = 0; c < copies; c++)
        {
            packet.AddReference();
            _queue.Push(new ScheduledEvent { TimeUs = ArrivalTime(nowUs, delays[c]), Kind = EventKind.Deliver, Node = to, Packet = packet });
        }
    }
}
