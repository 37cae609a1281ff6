using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;
using static EdgeGovernor.Protocol.Tests.Support.MulticastScenario;

namespace EdgeGovernor.Protocol.Tests;

/// <summary>Reliable multicast over the in-test network: joining, the send window, restarts, stability and the bounds of
/// holdback and retention (loss, NACKs and repairs: <see cref="MulticastNetworkTests"/>).</summary>
public sealed class MulticastRetentionNetworkTests
{
    [Fact]
    public void A_late_joiner_starts_at_the_current_sequence_without_a_history_flood()
    {
        var net = new TestNetwork(13);
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        Assert.Equal(300, PublishPaced(net, a, 300, untilUs: 4_000_000, stepIntervalUs: 5_000));
        net.RunUntil(net.NowUs + 1_000_000);

        TestNetwork.Host late = net.Add(TestKeys.Options(3));
        net.RunUntil(net.NowUs + 500_000);
        for (int i = 300; i < 310; i++)
        {
            Assert.True(a.Node.TryPublish(Payload(0, i), net.NowUs));
        }

        net.RunUntil(net.NowUs + 2_000_000);
        AssertStream(b, a.Id, 0, 310);
        List<(ulong Sequence, byte[] Payload)> got = late.Multicast[a.Id];
        Assert.Equal(Enumerable.Range(301, 10).Select(s => (ulong)s), got.Select(m => m.Sequence));
        Assert.Equal(0, late.Node.Counters.NacksSent);
        Assert.Equal(0, a.Node.Counters.RepairsSent);
        Assert.Equal(0, a.Node.Counters.RetainedMessages);
    }

    [Fact]
    public void A_node_joining_mid_burst_fetches_the_unstable_tail_only_at_most_the_send_window()
    {
        var net = new TestNetwork(43);
        NodeOptions Options(uint id) => TestKeys.Options(id) with { MulticastSendWindow = 64, MulticastRetention = 128 };
        TestNetwork.Host a = net.Add(Options(1));
        TestNetwork.Host b = net.Add(Options(2));
        int published = PublishPaced(net, a, 100, untilUs: 3_000_000, stepIntervalUs: 5_000);
        Assert.Equal(100, published);
        Assert.Equal(0, a.Node.UnstableCount); // 1..100 are history

        // b stops getting data (it still beats and reports 100 delivered): what a publishes now stays unstable.
        net.DropFilter = (from, to, bytes) => to == b.Id && (IsData(bytes, out _) || Frames.TypeOf(bytes) == MessageType.Repair);
        net.RunUntil(net.NowUs + 1_000_000, now =>
        {
            if (a.Node.TryPublish(Payload(0, published), now))
            {
                published++;
            }
        }, stepIntervalUs: 5_000);
        Assert.Equal(164, published);
        Assert.Equal(64, a.Node.UnstableCount);

        TestNetwork.Host late = net.Add(Options(3));
        net.RunUntil(net.NowUs + 2_000_000);
        List<(ulong Sequence, byte[] Payload)> got = late.Multicast[a.Id];
        Assert.Equal(Enumerable.Range(101, 64).Select(s => (ulong)s), got.Select(m => m.Sequence)); // the tail, not 1..100
        Assert.Equal(Payload(0, 163), got[^1].Payload);
        Assert.True(late.Node.Counters.NacksSent > 0);
        Assert.Equal(0, late.Node.Counters.MessagesSkipped);

        net.DropFilter = null;
        net.RunUntil(net.NowUs + 3_000_000);
        AssertStream(b, a.Id, 0, 164);
        Assert.Equal(0, a.Node.UnstableCount);
    }

    [Fact]
    public void TryPublish_says_full_until_stability_frees_the_window()
    {
        var net = new TestNetwork(3);
        TestNetwork.Host a = net.Add(TestKeys.Options(1) with { MulticastSendWindow = 8, MulticastRetention = 8 });
        for (int i = 0; i < 8; i++)
        {
            Assert.True(a.Node.TryPublish(Payload(0, i), 0));
        }

        Assert.False(a.Node.TryPublish(Payload(0, 8), 0));
        Assert.Equal(8, a.Node.UnstableCount);
        net.RunUntil(1_200_000); // after the start grace, a node alone is its own stability
        Assert.Equal(0, a.Node.UnstableCount);
        Assert.True(a.Node.TryPublish(Payload(0, 8), net.NowUs));
        Assert.Equal(9, a.Multicast[a.Id].Count); // the sender delivers its own stream too
    }

    [Fact]
    public void A_restarted_sender_starts_a_new_stream_that_receivers_follow()
    {
        var net = new TestNetwork(17) { Loss = 0.1 };
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        for (int i = 0; i < 5; i++)
        {
            a.Node.TryPublish(Payload(0, i), 0);
        }

        net.RunUntil(2_000_000);
        net.Crash(a);
        TestNetwork.Host a2 = net.Add(TestKeys.Options(1, incarnation: 2));
        for (int i = 0; i < 5; i++)
        {
            a2.Node.TryPublish(Payload(1, i), net.NowUs);
        }

        net.RunUntil(net.NowUs + 3_000_000);
        List<(ulong Sequence, byte[] Payload)> got = b.Multicast[a.Id];
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 }, got.Select(m => m.Sequence));
        Assert.Equal(Payload(1, 4), got[^1].Payload);
    }

    [Fact]
    public void A_crashed_receiver_stops_blocking_stability_once_it_is_declared_failed()
    {
        var net = new TestNetwork(31) { Loss = 0.2, Duplication = 0.05 };
        for (uint i = 1; i <= 5; i++)
        {
            net.Add(TestKeys.Options(i));
        }

        TestNetwork.Host publisher = net.Hosts[0];
        int published = 0;
        net.RunUntil(3_000_000, now =>
        {
            if (published == 50)
            {
                net.Crash(net.Hosts[4]);
            }

            if (published < 100 && publisher.Node.TryPublish(Payload(0, published), now))
            {
                published++;
            }
        }, stepIntervalUs: 10_000);

        net.RunUntil(net.NowUs + 5_000_000);
        Assert.Equal(100, published);
        foreach (TestNetwork.Host h in net.Hosts.Take(4))
        {
            AssertStream(h, publisher.Id, 0, 100);
            Assert.Equal(0, h.Node.Counters.RetainedMessages);
            Assert.False(h.Node.Membership.IsAlive(net.Hosts[4].Id));
        }
    }

    [Fact]
    public void Memory_stays_bounded_while_a_live_receiver_gets_no_data_and_it_catches_up_after()
    {
        var net = new TestNetwork(41);
        TestNetwork.Host a = net.Add(TestKeys.Options(1) with { MulticastSendWindow = 64, MulticastRetention = 128 });
        TestNetwork.Host b = net.Add(TestKeys.Options(2) with { MulticastSendWindow = 64, MulticastRetention = 128 });
        net.DropFilter = (from, to, bytes) => to == b.Id && (IsData(bytes, out _) || Frames.TypeOf(bytes) == MessageType.Repair);
        int published = 0, refused = 0;
        net.RunUntil(3_000_000, now =>
        {
            if (a.Node.TryPublish(Payload(0, published), now))
            {
                published++;
            }
            else
            {
                refused++;
            }
        });

        Assert.Equal(64, published); // b is alive and reports nothing delivered: the window holds
        Assert.True(refused > 0);
        Assert.InRange(a.Node.Counters.MaxRetainedMessages, 64, 64);
        Assert.InRange(b.Node.Counters.MaxRetainedMessages, 0, 128);

        net.DropFilter = null;
        net.RunUntil(net.NowUs + 3_000_000);
        AssertStream(b, a.Id, 0, 64);
        Assert.Equal(0, a.Node.UnstableCount);
    }

    [Fact]
    public void The_holdback_queue_and_retention_stay_within_their_bound_whatever_arrives()
    {
        // Retention of 8 slots per stream: held-back and retained messages share them.
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1) with { MulticastSendWindow = 8, MulticastRetention = 8 });
        ulong datagram = 0;
        void Data(ulong sequence) =>
            node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: ++datagram, type: MessageType.MulticastData, payload: Frames.MulticastData(2, 1, sequence)), 0);

        // 1 is missing: 2..8 wait in the holdback queue, 9 and anything further ahead is refused.
        for (ulong s = 2; s <= 9; s++)
        {
            Data(s);
        }

        Data(1_000_000);
        Assert.Equal(0, node.Counters.MulticastDelivered);
        Assert.Equal(7, node.Counters.RetainedMessages);
        Assert.Equal(2, node.Counters.Dropped(DropReason.HoldbackFull));

        // A flood of out-of-order sequence numbers (authenticated, so it passes the replay window) changes nothing.
        var random = new SplitMix64Random(5);
        for (int i = 0; i < 5_000; i++)
        {
            Data(2 + (random.NextUInt64() % 100_000));
            Assert.InRange(node.Counters.RetainedMessages, 0, 8);
        }

        // 1 arrives: 1..8 are delivered and retained (not yet stable). 9 then evicts the oldest retained message.
        Data(1);
        Assert.Equal(8, node.Counters.MulticastDelivered);
        Assert.Equal(8, node.Counters.RetainedMessages);
        Data(9);
        Assert.Equal(9, node.Counters.MulticastDelivered);
        Assert.Equal(8, node.Counters.RetainedMessages);
        Assert.Equal(1, node.Counters.RetentionEvictions);
        Assert.Equal(8, node.Counters.MaxRetainedMessages);
    }

    [Fact]
    public async Task An_authenticated_announcement_far_ahead_costs_one_ring_of_work_not_a_walk_to_it()
    {
        // A peer holding the key announces a stream at 2^40 (stable 0) and goes silent. The node NACKs, declares the
        // origin failed, gives the gap up, then gets one message beyond it before stability runs. Each step may look
        // at one ring of slots at most; walking the floor up to 2^40 one sequence at a time never ends.
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1));
        const ulong Far = 1UL << 40;
        byte[] heartbeat = Frames.Heartbeat(highest: Far);
        node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 1, payload: heartbeat), 0);
        Task run = Task.Run(() =>
        {
            long t = 0;
            for (; t < 20_000_000 && node.Counters.MessagesAbandoned == 0; t += 1_000)
            {
                node.Tick(t);
            }

            node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 2, type: MessageType.MulticastData, payload: Frames.MulticastData(2, 1, Far + 1)), t);
            for (long end = t + 3_000_000; t < end; t += 1_000)
            {
                node.Tick(t);
            }
        });

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)))); // hang guard only
        await run;
        Assert.Equal((long)Far, node.Counters.MessagesAbandoned);
        Assert.Equal(1, node.Counters.MulticastDelivered); // Far + 1, in order after the abandoned gap
        Assert.Equal(0, node.Counters.RetainedMessages); // and freed by stability
        Assert.True(node.Counters.NacksSent > 0);
    }
}
