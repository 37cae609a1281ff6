using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Seeds for <see cref="ClusterNodeTarget"/>: five real cluster nodes on an in-memory network (1 ms latency) elect
/// a coordinator, which publishes prices; every datagram that reaches node 1 from the others is written as one
/// record of the target's script format. Each seed is a window of 32 consecutive records.
/// </summary>
internal static class ClusterSeedRecorder
{
    public static IEnumerable<byte[]> Record()
    {
        NodeId[] roster = [new(1), new(2), new(3), new(4), new(5)];
        var queue = new PriorityQueue<(int To, byte[] Datagram), (long, long)>();
        long order = 0;
        long now = 1_000_000;
        var nodes = new ClusterNode[5];
        var captured = new List<(long Time, byte[] Datagram)>();
        for (int i = 0; i < nodes.Length; i++)
        {
            int self = i;
            var sink = new Sink((destination, datagram) =>
            {
                for (int to = 0; to < nodes.Length; to++)
                {
                    if (to != self && (destination.IsGroup || destination.Peer.Value == (uint)(to + 1)))
                    {
                        queue.Enqueue((to, datagram), (now + 1_000, order++));
                    }
                }
            });
            nodes[i] = new ClusterNode(new ClusterOptions { Roster = roster, Signer = FuzzSigning.Signer((uint)(i + 1)), Verifier = FuzzSigning.Roster }, FuzzKeys.Options((uint)(i + 1)), sink,
                new Handler(), new SplitMix64Random((ulong)(i + 7)), new InMemoryVoteStore(), now);
            nodes[i].SetLoad((ushort)(3000 + (i * 500)), (uint)(1000 * (i + 1)));
        }

        long end = now + 4_000_000;
        long nextPrice = now + 1_500_000;
        int published = 0;
        while (now < end)
        {
            long next = queue.TryPeek(out _, out (long Time, long) key) ? key.Time : long.MaxValue;
            foreach (ClusterNode n in nodes)
            {
                next = Math.Min(next, n.NextDeadlineUs);
            }
            now = Math.Max(now, Math.Min(next, nextPrice));
            while (queue.TryPeek(out (int To, byte[] Datagram) item, out (long Time, long) at) && at.Time <= now)
            {
                queue.Dequeue();
                if (item.To == 0)
                {
                    captured.Add((now, item.Datagram));
                }
                nodes[item.To].Receive(item.Datagram, now);
            }
            foreach (ClusterNode n in nodes)
            {
                if (n.NextDeadlineUs <= now)
                {
                    n.Tick(now);
                }
            }
            if (now >= nextPrice)
            {
                nextPrice += 400_000;
                ClusterNode? coordinator = Array.Find(nodes, n => n.IsCoordinator);
                long startMs = 1_767_225_600_000 + (published * 900_000L);
                coordinator?.PublishPrice(startMs, startMs + 900_000, 123_456 + (published * 1000), 3, now);
                published++;
            }
        }
        foreach (ClusterNode n in nodes)
        {
            n.Dispose();
        }

        for (int first = 0; first < captured.Count; first += 32)
        {
            var script = new List<byte>();
            long last = captured[first].Time;
            foreach ((long time, byte[] datagram) in captured.Skip(first).Take(32))
            {
                if (WireCodec.TryDecode(datagram, FuzzKeys.ClusterId, out MessageHeader header, out ReadOnlySpan<byte> payload) != DropReason.None)
                {
                    continue;
                }
                byte advance = (byte)Math.Min(15, (time - last) / 25_000);
                last = time;
                ClusterNodeTarget.AppendRecord(script, header, payload, (byte)(advance << 4));
            }
            yield return script.ToArray();
        }
    }

    private sealed class Sink(Action<Destination, byte[]> send) : IDatagramSink
    {
        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => send(destination, datagram.ToArray());
    }

    private sealed class Handler : IDeliveryHandler
    {
        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
