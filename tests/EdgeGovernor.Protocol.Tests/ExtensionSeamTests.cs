using System.Buffers.Binary;
using EdgeGovernor.Protocol.Membership;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests;

/// <summary>The seam the cluster layer builds on: component types, channels, heartbeat section, membership events.</summary>
public sealed class ExtensionSeamTests
{
    [Fact]
    public void Components_get_their_types_channels_heartbeat_sections_and_membership_events()
    {
        var net = new TestNetwork(3) { Loss = 0.1 };
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        var ca = new RecordingComponent(a.Node);
        var cb = new RecordingComponent(b.Node);
        a.Node.Term = 7;

        net.RunUntil(500_000);
        Assert.True(a.Node.SendDatagram(Destination.To(b.Id), MessageType.VoteRequest, [1, 2, 3]));
        Assert.True(a.Node.TryPublish(9, [4, 5], net.NowUs));
        Assert.True(a.Node.TrySend(b.Id, 9, [6], net.NowUs));
        net.RunUntil(2_000_000);

        Assert.Contains(cb.Datagrams, d => d.Type == MessageType.VoteRequest && d.Term == 7 && d.Payload.SequenceEqual(new byte[] { 1, 2, 3 }));
        Assert.Contains(cb.Multicast, m => m.Sender == a.Id && m.Payload.SequenceEqual(new byte[] { 4, 5 }));
        Assert.Contains(cb.Unicast, m => m.Sender == a.Id && m.Payload.SequenceEqual(new byte[] { 6 }));
        Assert.Contains(ca.Multicast, m => m.Sender == a.Id); // own channel messages are delivered locally too
        Assert.False(b.Multicast.ContainsKey(a.Id)); // channel 9 is not the application's
        Assert.Contains(cb.Sections, s => s.Sender == a.Id && s.Value == 1);
        Assert.True(ca.Ticks > 0);
        Assert.Contains((b.Id, true), ca.Alive);

        net.Crash(b);
        net.RunUntil(net.NowUs + 2_000_000);
        Assert.Contains(b.Id, ca.Failed);
    }

    [Fact]
    public void Registration_rejects_core_types_and_duplicates()
    {
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1));
        var c = new RecordingComponent(null);
        Assert.Throws<ArgumentException>(() => node.RegisterMessageType(MessageType.Heartbeat, c));
        node.RegisterMessageType(MessageType.Probe, c);
        Assert.Throws<ArgumentException>(() => node.RegisterMessageType(MessageType.Probe, c));
        Assert.Throws<ArgumentException>(() => node.RegisterChannel(0, c));
        Assert.Throws<ArgumentException>(() => node.SendDatagram(Destination.Group, MessageType.Nack, []));
        Assert.False(node.SendDatagram(Destination.Group, MessageType.Probe, new byte[WireCodec.MaxPayload + 1]));
    }

    [Fact]
    public void Heartbeat_membership_reports_restarts_as_failure_then_alive()
    {
        var m = new HeartbeatMembership(new NodeId(1), 1, failureTimeoutUs: 1_000);
        var events = new List<string>();
        m.Attach(new Listener(events));
        m.OnHeard(Header(2, 5), 0);
        m.OnHeard(Header(2, 4), 10); // older incarnation: ignored
        m.OnHeard(Header(2, 6), 20); // restart
        Assert.Equal(["alive n2/5", "failed n2/5", "alive n2/6"], events);
        Assert.Equal(2, m.LiveCount);
        m.Tick(500);
        Assert.True(m.IsAlive(new NodeId(2)));
        m.Tick(1_020);
        Assert.False(m.IsAlive(new NodeId(2)));
        Assert.Equal("failed n2/6", events[^1]);
        Assert.Equal(1, m.LiveCount);
        Assert.Equal(new NodeId(1), m.LiveMemberAt(0));
        m.OnHeard(Header(2, 6), 2_000); // heard again after a false failure
        Assert.Equal("alive n2/6", events[^1]);
        Assert.Equal(long.MaxValue, new HeartbeatMembership(new NodeId(1), 1, 10).NextDeadlineUs);
    }

    private static MessageHeader Header(uint sender, ulong incarnation) =>
        new(MessageType.Heartbeat, TestKeys.Cluster, new NodeId(sender), incarnation, 0, 1, 0, 1);

    private sealed class Listener(List<string> events) : IMembershipListener
    {
        public void OnMemberAlive(NodeId member, ulong incarnation, long nowUs) => events.Add($"alive {member}/{incarnation}");

        public void OnMemberFailed(NodeId member, ulong incarnation, long nowUs) => events.Add($"failed {member}/{incarnation}");
    }

    private sealed class RecordingComponent : IProtocolComponent, IHeartbeatSection, IMembershipListener
    {
        public RecordingComponent(ProtocolNode? node)
        {
            if (node is not null)
            {
                node.RegisterMessageType(MessageType.VoteRequest, this);
                node.RegisterChannel(9, this);
                node.HeartbeatSection = this;
            }
        }

        public List<(MessageType Type, ulong Term, byte[] Payload)> Datagrams { get; } = new();

        public List<(NodeId Sender, byte[] Payload)> Multicast { get; } = new();

        public List<(NodeId Sender, byte[] Payload)> Unicast { get; } = new();

        public List<(NodeId Sender, uint Value)> Sections { get; } = new();

        public List<(NodeId, bool)> Alive { get; } = new();

        public List<NodeId> Failed { get; } = new();

        public int Ticks { get; private set; }

        public long NextDeadlineUs => long.MaxValue;

        public void OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs) =>
            Datagrams.Add((header.Type, header.Term, payload.ToArray()));

        public void OnMulticast(NodeId sender, ulong sequence, byte channel, ReadOnlySpan<byte> payload, long nowUs) =>
            Multicast.Add((sender, payload.ToArray()));

        public void OnUnicast(NodeId sender, byte channel, ReadOnlySpan<byte> payload, long nowUs) =>
            Unicast.Add((sender, payload.ToArray()));

        public void Tick(long nowUs) => Ticks++;

        public int WriteHeartbeatSection(Span<byte> destination, long nowUs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, 1);
            return 4;
        }

        public void ReadHeartbeatSection(in MessageHeader header, ReadOnlySpan<byte> section, long nowUs)
        {
            if (section.Length == 4)
            {
                Sections.Add((header.Sender, BinaryPrimitives.ReadUInt32BigEndian(section)));
            }
        }

        public void OnMemberAlive(NodeId member, ulong incarnation, long nowUs) => Alive.Add((member, true));

        public void OnMemberFailed(NodeId member, ulong incarnation, long nowUs) => Failed.Add(member);
    }
}
