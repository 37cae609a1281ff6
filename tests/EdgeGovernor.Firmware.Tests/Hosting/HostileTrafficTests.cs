using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>Garbage, truncated, forged and replayed datagrams at a running node: counters rise, nothing else changes.</summary>
[Collection("processes")]
public sealed class HostileTrafficTests
{
    /// <summary>A short pause every 20 datagrams: a flood, but one a loaded 2-core box's receiver can keep up with.</summary>
    private static void Pace(int i)
    {
        if (i % 20 == 19)
        {
            Thread.Sleep(2);
        }
    }

    [Fact]
    public void Hostile_datagrams_only_raise_drop_counters()
    {
        using var dir = new TempDir();
        var (group, port) = TransportTests.FreshGroup();
        string key = NodeProcess.NewKeyFile(dir);
        uint[] roster = [1, 2];
        long epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2000;
        FirmwareConfig c1 = NodeProcess.ConfigFor(1, roster, dir, group, port, key);
        FirmwareConfig c2 = NodeProcess.ConfigFor(2, roster, dir, group, port, key);
        c1.PriceFeed.ReplayEpochUnixMs = c2.PriceFeed.ReplayEpochUnixMs = epoch;

        // A listener on the group records genuine traffic to replay later.
        using var spy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        spy.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        spy.Bind(new IPEndPoint(group, port));
        spy.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Loopback));
        spy.ReceiveTimeout = 30_000;

        using NodeProcess n1 = NodeProcess.Start(c1, dir);
        using NodeProcess n2 = NodeProcess.Start(c2, dir);
        NodeProcess.WaitUntil(() => n1.Status() is { Coordinator: > 0, Price.Valid: true } s1 && n2.Status() is { } s2 && s2.Coordinator == s1.Coordinator,
            "a coordinator and a price");

        var captured = new List<byte[]>();
        byte[] buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var target = new IPEndPoint(IPAddress.Loopback, c1.Network.UnicastPort);
        while (captured.Count < 40)
        {
            int n = spy.ReceiveFrom(buffer, ref from);
            if (((IPEndPoint)from).Port == c2.Network.UnicastPort)
            {
                captured.Add(buffer[..n]); // node 2's genuine datagrams, already delivered to node 1
            }
        }

        NodeStatus before = n1.Status()!;
        double badTagBefore = n1.Metric("edgegov_drops_total{reason=\"BadTag\"}");
        double replayedBefore = n1.Metric("edgegov_drops_total{reason=\"Replayed\"}");
        double shortBefore = n1.Metric("edgegov_drops_total{reason=\"TooShort\"}");
        double magicBefore = n1.Metric("edgegov_drops_total{reason=\"BadMagic\"}");

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(1234);
        // 1. random bytes of every length
        for (int i = 0; i < 1000; i++)
        {
            byte[] junk = new byte[random.Next(0, 1400)];
            random.NextBytes(junk);
            if (junk.Length >= 2 && junk[0] == 0x45 && junk[1] == 0x47)
            {
                junk[0] = 0; // keep it away from the real magic so the reason is predictable
            }
            attacker.SendTo(junk, target);
            Pace(i);
        }
        // 2. truncated genuine headers
        foreach (byte[] d in captured)
        {
            attacker.SendTo(d.AsSpan(0, Math.Min(d.Length - 1, 30)), SocketFlags.None, target);
        }
        // ~700 KB of junk can outrun a node starved of CPU and overflow its socket buffer (the kernel then
        // drops what follows, uncounted by the node): let it drain before the phases counted exactly.
        NodeProcess.WaitUntil(() => n1.Metric("edgegov_drops_total{reason=\"TooShort\"}") > shortBefore + 40 && n1.Metric("edgegov_drops_total{reason=\"BadMagic\"}") > magicBefore + 500,
            "random bytes and truncated headers counted");
        // 3. well-formed datagrams sealed with the wrong key, claiming to come from node 2
        using (var wrongKeys = new KeyRing(new ClusterKey(1, Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray())))
        {
            byte[] datagram = new byte[WireCodec.MaxDatagram];
            for (int i = 0; i < 300; i++)
            {
                var header = new MessageHeader(MessageType.Heartbeat, 77, new NodeId(2), (ulong)i + 1, 99, (ulong)i + 1, 8, 1);
                int length = WireCodec.Encode(datagram, header, new byte[8]);
                wrongKeys.Seal(datagram.AsSpan(0, length));
                attacker.SendTo(datagram.AsSpan(0, length), SocketFlags.None, target);
                Pace(i);
            }
        }
        NodeProcess.WaitUntil(() => n1.Metric("edgegov_drops_total{reason=\"BadTag\"}") >= badTagBefore + 300, "wrong-key datagrams counted");
        // 4. replays of node 2's genuine datagrams (node 1 already accepted the originals)
        for (int round = 0; round < 3; round++)
        {
            foreach (byte[] d in captured)
            {
                attacker.SendTo(d, target);
            }
        }

        NodeProcess.WaitUntil(() => n1.Metric("edgegov_drops_total{reason=\"Replayed\"}") >= replayedBefore + (3 * captured.Count) - 5, "replays counted");

        // Nothing else changed: same coordinator and term, prices still applied, still serving.
        long appliedBefore = before.Price.Applied;
        NodeProcess.WaitUntil(() => n1.Status()!.Price.Applied >= appliedBefore + 2, "prices still applied after the flood");
        NodeStatus after = n1.Status()!;
        Assert.Equal(before.Coordinator, after.Coordinator);
        Assert.Equal(before.Term, after.Term);
        Assert.Equal(before.Role, after.Role);
        Assert.True(after.Price.Valid);
        Assert.Equal(2, after.Members.Count(m => m.Alive));
        Assert.False(n1.HasExited);
    }
}
