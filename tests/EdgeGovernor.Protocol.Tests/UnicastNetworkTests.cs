using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests;

public sealed class UnicastNetworkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Delivers_exactly_once_in_order_under_loss_duplication_and_reordering(int seed)
    {
        var net = new TestNetwork(seed) { Loss = 0.3, Duplication = 0.1, MinLatencyUs = 300, MaxLatencyUs = 6_000 };
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        const int Count = 300;
        int sentAb = 0, sentBa = 0;
        net.RunUntil(60_000_000, now =>
        {
            while (sentAb < Count && a.Node.TrySend(b.Id, Payload(1, sentAb), now))
            {
                sentAb++;
            }

            while (sentBa < Count && b.Node.TrySend(a.Id, Payload(2, sentBa), now))
            {
                sentBa++;
            }
        });

        Assert.Equal(Count, sentAb);
        AssertDelivered(b, a.Id, 1, Count);
        AssertDelivered(a, b.Id, 2, Count);
        Assert.True(a.Node.Counters.UnicastRetransmits > 0);
        Assert.True(b.Node.Counters.UnicastDuplicates > 0);
        Assert.Equal(0, a.Node.UnackedCount(b.Id));
        Assert.Equal(0, a.Node.Counters.UnicastAbandoned);
    }

    [Fact]
    public void TrySend_says_full_instead_of_growing()
    {
        var net = new TestNetwork(7) { Loss = 1.0 };
        TestNetwork.Host a = net.Add(TestKeys.Options(1) with { UnicastWindow = 4 });
        net.Add(TestKeys.Options(2));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(a.Node.TrySend(new NodeId(2), Payload(1, i), 0));
        }

        Assert.False(a.Node.TrySend(new NodeId(2), Payload(1, 4), 0));
        Assert.Equal(4, a.Node.UnackedCount(new NodeId(2)));
    }

    [Fact]
    public void Retransmission_backs_off_and_stops_when_the_peer_is_declared_failed()
    {
        var net = new TestNetwork(9);
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        net.RunUntil(300_000); // they hear each other
        Assert.True(a.Node.Membership.IsAlive(b.Id));
        net.Crash(b);
        Assert.True(a.Node.TrySend(b.Id, Payload(1, 0), net.NowUs));
        net.RunUntil(net.NowUs + 700_000);
        long retransmitsBeforeFailure = a.Node.Counters.UnicastRetransmits;
        Assert.InRange(retransmitsBeforeFailure, 2, 10); // 30, 60, 120, 240 ms ... backoff, not a flood
        net.RunUntil(net.NowUs + 3_000_000);
        Assert.False(a.Node.Membership.IsAlive(b.Id));
        Assert.Equal(1, a.Node.Counters.UnicastAbandoned);
        Assert.Equal(0, a.Node.UnackedCount(b.Id));
        long after = a.Node.Counters.UnicastRetransmits;
        net.RunUntil(net.NowUs + 3_000_000);
        Assert.Equal(after, a.Node.Counters.UnicastRetransmits);
        Assert.Contains((b.Id, false), a.MembershipEvents);
    }

    [Fact]
    public void A_restarted_peer_receives_the_new_messages_from_sequence_one()
    {
        var net = new TestNetwork(11) { Loss = 0.2 };
        TestNetwork.Host a = net.Add(TestKeys.Options(1));
        TestNetwork.Host b = net.Add(TestKeys.Options(2));
        for (int i = 0; i < 5; i++)
        {
            Assert.True(b.Node.TrySend(a.Id, Payload(2, i), 0));
        }

        net.RunUntil(2_000_000);
        AssertDelivered(a, b.Id, 2, 5);
        net.Crash(b);
        TestNetwork.Host b2 = net.Add(TestKeys.Options(2, incarnation: 2));
        for (int i = 0; i < 5; i++)
        {
            Assert.True(b2.Node.TrySend(a.Id, Payload(3, i), net.NowUs));
        }

        net.RunUntil(net.NowUs + 3_000_000);
        List<byte[]> got = a.Unicast[b.Id];
        Assert.Equal(10, got.Count);
        Assert.Equal(Payload(3, 4), got[9]);
    }

    internal static byte[] Payload(int stream, int index) => [(byte)stream, (byte)(index >> 8), (byte)index, 0xAB];

    private static void AssertDelivered(TestNetwork.Host receiver, NodeId sender, int stream, int count)
    {
        Assert.True(receiver.Unicast.TryGetValue(sender, out List<byte[]>? got), "nothing delivered");
        Assert.Equal(count, got!.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Payload(stream, i), got[i]);
        }
    }
}
