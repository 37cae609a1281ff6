using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Tests.Transport;

/// <summary>
/// The datagram boundary: an exception while handling one datagram is caught by the binding, counted and logged with
/// the message type, and the node carries on; datagrams too large for a slot are counted where /metrics shows them.
/// </summary>
public sealed class DatagramBoundaryTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private sealed class Outbox : IDatagramSink
    {
        public List<byte[]> Sent { get; } = [];

        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => Sent.Add(datagram.ToArray());
    }

    /// <summary>An application whose unicast handler throws on the first payload.</summary>
    private sealed class Handler : IDeliveryHandler
    {
        public int Unicasts;

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
            if (++Unicasts == 1)
            {
                throw new ArgumentOutOfRangeException(nameof(payload), "handler bug");
            }
        }

        public void OnMembershipChanged(NodeId member, ulong incarnation, bool alive)
        {
        }

        public void OnLeadershipChanged(NodeId leader, ulong term)
        {
        }
    }

    private static readonly Ed25519Signer[] Signers = [new(Enumerable.Repeat((byte)1, 32).ToArray()), new(Enumerable.Repeat((byte)2, 32).ToArray())];

    private static readonly SigningRoster SigningKeys = BuildSigningKeys();

    private static SigningRoster BuildSigningKeys()
    {
        var roster = new SigningRoster();
        roster.Set(new NodeId(1), Signers[0].PublicKey);
        roster.Set(new NodeId(2), Signers[1].PublicKey);
        return roster;
    }

    private static ClusterNode Node(uint id, IDatagramSink sink, IDeliveryHandler handler) => new(
        new ClusterOptions { Roster = [new NodeId(1), new NodeId(2)], Signer = Signers[id - 1], Verifier = SigningKeys },
        new NodeOptions { Node = new NodeId(id), Incarnation = 1000 + id, ClusterId = 7, Key = new ClusterKey(1, Secret) },
        sink, handler, new SplitMix64Random(id), new InMemoryVoteStore(), 0);

    [Fact]
    public void A_datagram_whose_handling_throws_is_dropped_counted_and_logged_with_its_type_and_the_node_carries_on()
    {
        var (group, port) = TransportTests.FreshGroup();
        using var transport = new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, 0));
        var lines = new StringWriter();
        var faults = new HandlerFaults(new Logger("t", LogLevel.Debug, lines));
        var binding = new ClusterBinding(transport, () => 1_000, faults);
        var handler = new Handler();
        using ClusterNode b = Node(2, binding, handler);
        binding.Attach(b);

        var outbox = new Outbox();
        using ClusterNode a = Node(1, outbox, new Handler());
        Assert.True(a.Node.TrySend(new NodeId(2), "first"u8, 1_000));
        Assert.True(a.Node.TrySend(new NodeId(2), "second"u8, 1_000));
        SocketAddress from = new IPEndPoint(IPAddress.Loopback, 40_000).Serialize();
        foreach (byte[] datagram in outbox.Sent)
        {
            binding.OnDatagram(datagram, from, multicast: false); // must not throw
        }

        Assert.True(handler.Unicasts >= 1);
        Assert.Equal(1, faults.Datagram);
        string log = lines.ToString();
        Assert.Contains("datagram: dropped ", log, StringComparison.Ordinal);
        Assert.Contains(" datagram (", log, StringComparison.Ordinal);
        Assert.Contains("ArgumentOutOfRangeException", log, StringComparison.Ordinal);
        Assert.DoesNotContain(MessageType.None.ToString() + " datagram", log, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_datagram_is_counted_as_Oversized()
    {
        var (group, port) = TransportTests.FreshGroup();
        using var transport = new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, 0));
        transport.Start();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendBufferSize = 1 << 20;
        sender.SendTo(new byte[65_000], transport.LocalEndPoint);
        sender.SendTo(new byte[10], transport.LocalEndPoint);
        var got = new List<int>();
        var consumer = new Counting(got);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (got.Count < 1 && DateTime.UtcNow < deadline)
        {
            transport.WaitForData(100);
            transport.Drain(consumer);
        }
        Assert.Equal([10], got);
        Assert.Equal(1, transport.Oversized);
    }

    private sealed class Counting(List<int> got) : IDatagramConsumer
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast) => got.Add(datagram.Length);
    }
}
