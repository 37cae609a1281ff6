using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;
using Xunit.Abstractions;
using static EdgeGovernor.Protocol.Tests.Support.MulticastScenario;

namespace EdgeGovernor.Protocol.Tests;

public sealed class MulticastNetworkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_stream_is_delivered_completely_in_order_exactly_once_under_faults(int seed)
    {
        var net = new TestNetwork(seed) { Loss = 0.3, Duplication = 0.05, MinLatencyUs = 300, MaxLatencyUs = 8_000 };
        const int Nodes = 8, PerNode = 60;
        for (uint i = 1; i <= Nodes; i++)
        {
            net.Add(TestKeys.Options(i));
        }

        int[] published = new int[Nodes];
        net.RunUntil(4_000_000, now =>
        {
            for (int i = 0; i < Nodes; i++)
            {
                if (published[i] < PerNode && (now / 1000) % (i + 3) == 0 && net.Hosts[i].Node.TryPublish(Payload(i, published[i]), now))
                {
                    published[i]++;
                }
            }
        });

        Assert.All(published, p => Assert.Equal(PerNode, p));
        net.RunUntil(net.NowUs + 10_000_000); // traffic stopped: repairs finish, stability frees retention
        foreach (TestNetwork.Host h in net.Hosts)
        {
            for (int i = 0; i < Nodes; i++)
            {
                AssertStream(h, net.Hosts[i].Id, i, PerNode);
            }

            Assert.Equal(0, h.Node.Counters.RetainedMessages);
            Assert.InRange(h.Node.Counters.MaxRetainedMessages, 1, Nodes * PerNode);
            Assert.Equal(0, h.Node.Counters.MessagesSkipped + h.Node.Counters.MessagesAbandoned + h.Node.Counters.RetentionEvictions);
        }

        Assert.True(net.Hosts.Sum(h => h.Node.Counters.NacksSent) > 0);
        Assert.True(net.Hosts.Sum(h => h.Node.Counters.RepairsSent) > 0);
    }

    [Fact]
    public void A_lost_last_message_is_noticed_through_the_heartbeat_and_repaired()
    {
        var net = new TestNetwork(5);
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        net.DropFilter = (from, to, bytes) => IsData(bytes, out ulong seq) && seq == 3 && to == b.Id;
        net.RunUntil(10_000); // first heartbeats are out
        for (int i = 0; i < 3; i++)
        {
            Assert.True(a.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(60_000); // before the next heartbeat nobody knows message 3 exists
        Assert.Equal(2, b.Multicast[a.Id].Count);
        Assert.Equal(0, b.Node.Counters.NacksSent);
        net.RunUntil(1_000_000);
        AssertStream(b, a.Id, 0, 3);
        Assert.True(b.Node.Counters.NacksSent >= 1);
        Assert.True(a.Node.Counters.RepairsSent >= 1);
    }

    [Fact]
    public void Without_any_announcement_a_hole_found_on_arrival_is_nacked_again_with_time_alone_until_repaired()
    {
        // b gets 1 and 3 (2 is lost); none of a's heartbeats (its announced highest sequence) ever reaches b, and b's
        // first two NACKs are lost. Nothing but time passes, yet b NACKs 2 again until the repair arrives: the NACK
        // timer re-arms itself after each round (2, 4, 8, 16 RTTs) and the periodic gap check re-arms any stream with a
        // gap and no timer. Either alone keeps this test green; with both removed the hole stays forever.
        var net = new TestNetwork(47);
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        var nacks = new List<(NodeId To, ulong Origin, ulong First, ulong Mask)>();
        int announcementsDropped = 0;
        net.DropFilter = (from, to, bytes) =>
        {
            if (from == a.Id && to == b.Id && Frames.TypeOf(bytes) == MessageType.Heartbeat)
            {
                announcementsDropped++;
                return true;
            }

            if (from == b.Id && IsNack(bytes, out ulong origin, out ulong first, out ulong mask))
            {
                nacks.Add((to, origin, first, mask));
                return nacks.Count <= 2;
            }

            return from == a.Id && to == b.Id && IsData(bytes, out ulong seq) && seq == 2;
        };
        for (int i = 0; i < 3; i++)
        {
            Assert.True(a.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(10_000);
        Assert.Equal(new ulong[] { 1 }, b.Multicast[a.Id].Select(m => m.Sequence)); // 3 is held back behind the hole

        net.RunUntil(600_000);
        AssertStream(b, a.Id, 0, 3);
        Assert.True(announcementsDropped > 0);
        Assert.Equal(3, nacks.Count); // two lost, the third repaired; none after the hole closed
        Assert.All(nacks, n => Assert.Equal((a.Id, (ulong)a.Id.Value, 2UL, 1UL), n)); // to the sender alone: 2 missing
        Assert.Equal(3, b.Node.Counters.NacksSent);
        Assert.Equal(1, a.Node.Counters.RepairsSent);
    }

    [Fact]
    public void A_hole_found_at_time_zero_with_no_backoff_is_nacked_at_the_first_tick()
    {
        // A hole found at time 0 with a zero backoff (NackBackoffFactor 0) falls due at 0; it must count as armed (when 0
        // meant "not armed" it was left to the periodic gap check, 20 ms later). No announcement
        // ever comes here (the sender's datagrams are crafted: no heartbeat).
        var peer = new RecordingPeer();
        var options = TestKeys.Options(1) with { NackBackoffFactor = 0 };
        using var node = new ProtocolNode(options, peer, peer, new SplitMix64Random(1), 0);
        ulong datagram = 0;
        void Receive(MessageType type, ulong sequence, long nowUs) =>
            node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: ++datagram, type: type, payload: Frames.MulticastData(2, 1, sequence)), nowUs);

        Receive(MessageType.MulticastData, 1, 0);
        Receive(MessageType.MulticastData, 3, 0);
        Assert.Equal(new ulong[] { 1 }, peer.Delivered);
        Assert.Empty(peer.Nacks);

        long t = 1_000;
        node.Tick(t);
        var nack = Assert.Single(peer.Nacks);
        Assert.Equal((new NodeId(2), 2UL, 2UL, 1UL), nack); // to the live sender: 2 is missing

        Receive(MessageType.Repair, 2, t + 1_000);
        Assert.Equal(new ulong[] { 1, 2, 3 }, peer.Delivered);
        for (long end = t + 500_000; t < end; t += 1_000)
        {
            node.Tick(t);
        }

        Assert.Single(peer.Nacks); // the hole is closed: no further NACK
        Assert.Equal(1, node.Counters.NacksSent);
    }

    [Fact]
    public void A_holder_repairs_a_nack_heard_at_time_zero_with_no_backoff()
    {
        // A NACK heard at time 0 with a zero backoff must schedule the holder's repair for time 0 (when 0 meant "not
        // armed" it was dropped silently).
        var peer = new RecordingPeer();
        var options = TestKeys.Options(1) with { NackBackoffFactor = 0 };
        using var node = new ProtocolNode(options, peer, peer, new SplitMix64Random(1), 0);
        node.Receive(Datagrams.Craft(TestKeys.Key(1), sender: 2, sequence: 1, type: MessageType.MulticastData, payload: Frames.MulticastData(2, 1, 1)), 0);
        Assert.Equal(new ulong[] { 1 }, peer.Delivered);

        byte[] nack = Frames.Nack(origin: 2, incarnation: 1, first: 1, mask: 1); // message 1 is missing at node 3
        node.Receive(Datagrams.Craft(TestKeys.Key(1), sender: 3, sequence: 1, type: MessageType.Nack, payload: nack), 0);
        Assert.Equal(1, node.Counters.NacksReceived);

        node.Tick(1_000);
        Assert.Equal(1, node.Counters.RepairsSent);
    }

    [Fact]
    public void While_the_sender_is_alive_nacks_go_to_it_alone_not_to_the_group()
    {
        // The failed-sender case (NACKs to the group) is the overheard-group-NACK test below.
        var net = new TestNetwork(19);
        TestNetwork.Host sender = net.Add(TestKeys.Options(1));
        TestNetwork.Host victim = net.Add(TestKeys.Options(2));
        TestNetwork.Host observer = net.Add(TestKeys.Options(3));
        int nacksToSender = 0, nacksToObserver = 0;
        net.DropFilter = (from, to, bytes) =>
        {
            if (Frames.TypeOf(bytes) == MessageType.Nack)
            {
                nacksToSender += to == sender.Id ? 1 : 0;
                nacksToObserver += to == observer.Id ? 1 : 0;
            }

            return from == sender.Id && to == victim.Id && IsData(bytes, out ulong seq) && seq == 3;
        };
        net.RunUntil(300_000); // everybody has heard everybody
        Assert.True(victim.Node.Membership.IsAlive(sender.Id));
        for (int i = 0; i < 5; i++)
        {
            Assert.True(sender.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(net.NowUs + 1_000_000);
        AssertStream(victim, sender.Id, 0, 5);
        AssertStream(observer, sender.Id, 0, 5);
        Assert.True(victim.Node.Counters.NacksSent >= 1);
        Assert.Equal(victim.Node.Counters.NacksSent, nacksToSender);
        Assert.Equal(0, nacksToObserver);
        Assert.Equal(0, observer.Node.Counters.NacksReceived);
    }

    [Fact]
    public void Nack_implosion_is_prevented_when_every_receiver_misses_the_same_message()
    {
        var net = new TestNetwork(21) { MinLatencyUs = 500, MaxLatencyUs = 2_000 };
        const int Receivers = 100, Messages = 40;
        TestNetwork.Host sender = net.Add(TestKeys.Options(1));
        for (uint i = 2; i <= Receivers + 1; i++)
        {
            net.Add(TestKeys.Options(i));
        }

        // Every 10th message is lost at the sender: no receiver gets its first transmission.
        net.DropFilter = (from, to, bytes) => from == sender.Id && IsData(bytes, out ulong seq) && seq % 10 == 0;
        PublishPaced(net, sender, Messages, untilUs: 1_500_000, stepIntervalUs: 20_000);

        net.RunUntil(net.NowUs + 500_000);
        foreach (TestNetwork.Host h in net.Hosts.Skip(1))
        {
            AssertStream(h, sender.Id, 0, Messages);
        }

        long nacks = net.Hosts.Sum(h => h.Node.Counters.NacksSent);
        const int LossEvents = Messages / 10;
        output.WriteLine($"NACKs per loss event: {(double)nacks / LossEvents:F2}, repairs: {sender.Node.Counters.RepairsSent}, suppressed: {net.Hosts.Sum(h => h.Node.Counters.NacksSuppressed)}");
        Assert.InRange((double)nacks / LossEvents, 1.0, 5.0); // without suppression: 100 per loss event
        Assert.InRange(sender.Node.Counters.RepairsSent, LossEvents, 3 * LossEvents);
    }

    [Fact]
    public void Holders_repair_after_the_sender_failed_and_cancel_duplicate_repairs()
    {
        var net = new TestNetwork(8) { MinLatencyUs = 500, MaxLatencyUs = 2_000 };
        TestNetwork.Host sender = net.Add(TestKeys.Options(1));
        for (uint i = 2; i <= 8; i++)
        {
            net.Add(TestKeys.Options(i));
        }

        TestNetwork.Host victim = net.Hosts[^1];
        net.RunUntil(1_500_000); // everybody knows everybody; stability grace is over

        // From message 11 on, nothing from the sender reaches the victim; then the sender crashes.
        net.DropFilter = (from, to, bytes) => from == sender.Id && to == victim.Id && (!IsData(bytes, out ulong seq) || seq > 10);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(sender.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(net.NowUs + 5_000);
        net.Crash(sender);
        net.RunUntil(net.NowUs + 6_000_000);

        AssertStream(victim, sender.Id, 0, 20);
        long holderRepairs = net.Hosts.Skip(1).Sum(h => h.Node.Counters.RepairsSent);
        Assert.InRange(holderRepairs, 10, 30); // 10 missing messages, 6 holders: mostly one repair each
        Assert.True(net.Hosts.Skip(1).Sum(h => h.Node.Counters.RepairsSuppressed) > 0);
        Assert.Contains((sender.Id, false), victim.MembershipEvents);
    }

    [Fact]
    public void After_the_sender_failed_a_receiver_that_overhears_a_group_nack_covering_its_gap_holds_its_own_back()
    {
        var net = new TestNetwork(23) { MinLatencyUs = 500, MaxLatencyUs = 2_000 };
        const int Holders = 4, Victims = 60;
        TestNetwork.Host sender = net.Add(TestKeys.Options(1));
        for (uint i = 2; i <= 1 + Holders + Victims; i++)
        {
            net.Add(TestKeys.Options(i));
        }

        HashSet<NodeId> victims = net.Hosts.Skip(1 + Holders).Select(h => h.Id).ToHashSet();
        NodeId observer = net.Hosts[1].Id; // a holder without gaps: every NACK it receives was sent to the group
        net.RunUntil(1_500_000); // everybody knows everybody; stability grace is over

        // From message 11 on, nothing of the sender reaches the victims (its heartbeats neither); then it crashes.
        // The victims learn of 11..20 from the holders' delivery reports and, once the sender is declared failed,
        // NACK to the group, where the other victims overhear the NACK.
        int groupNacks = 0;
        net.DropFilter = (from, to, bytes) =>
        {
            if (to == observer && Frames.TypeOf(bytes) == MessageType.Nack)
            {
                groupNacks++;
            }

            return from == sender.Id && victims.Contains(to) && (!IsData(bytes, out ulong seq) || seq > 10);
        };
        for (int i = 0; i < 20; i++)
        {
            Assert.True(sender.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(net.NowUs + 5_000);
        net.Crash(sender);
        net.RunUntil(net.NowUs + 6_000_000);

        foreach (TestNetwork.Host v in net.Hosts.Where(h => victims.Contains(h.Id)))
        {
            AssertStream(v, sender.Id, 0, 20);
            Assert.Contains((sender.Id, false), v.MembershipEvents);
        }

        long suppressed = net.Hosts.Sum(h => h.Node.Counters.NacksSuppressed);
        output.WriteLine($"group NACKs: {groupNacks}, suppressed on overhearing: {suppressed}, holder repairs: {net.Hosts.Sum(h => h.Node.Counters.RepairsSent)}");
        Assert.True(suppressed > 0, "no victim held its NACK back after overhearing another's");
        Assert.InRange(groupNacks, 1, 6); // 60 victims with one gap between them
    }
}
