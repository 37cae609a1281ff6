using EdgeGovernor.Simulator.Network;
using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Tests.Network;

public class NetworkModelTests
{
    private const int Draws = 100_000;

    [Fact]
    public void Loss_is_separate_for_data_and_control()
    {
        var net = new NetworkModel(2, new LinkProfile(LatencyDistribution.Constant(500), DataLoss: 0.3, ControlLoss: 0.05));
        var r = new Xoshiro256StarStar(1);
        Span<long> d = stackalloc long[2];
        int dataLost = 0, controlLost = 0, repairLost = 0;
        for (int i = 0; i < Draws; i++)
        {
            dataLost += net.Decide(0, 1, PacketClass.Data, ref r, d) == 0 ? 1 : 0;
            repairLost += net.Decide(0, 1, PacketClass.Repair, ref r, d) == 0 ? 1 : 0;
            controlLost += net.Decide(0, 1, PacketClass.Nack, ref r, d) == 0 ? 1 : 0;
            Assert.Equal(500, d[0]);
        }

        Assert.InRange(dataLost, 29_300, 30_700);
        Assert.InRange(repairLost, 29_300, 30_700);
        Assert.InRange(controlLost, 4_600, 5_400);
    }

    [Fact]
    public void Duplicates_arrive_as_a_second_copy_with_own_delay()
    {
        var net = new NetworkModel(2, new LinkProfile(LatencyDistribution.Uniform(100, 10_000), Duplicate: 0.05));
        var r = new Xoshiro256StarStar(2);
        Span<long> d = stackalloc long[2];
        int dups = 0, differentDelay = 0;
        for (int i = 0; i < Draws; i++)
        {
            int copies = net.Decide(0, 1, PacketClass.Data, ref r, d);
            Assert.InRange(copies, 1, 2);
            Assert.InRange(d[0], 100, 10_000);
            if (copies == 2)
            {
                dups++;
                differentDelay += d[0] != d[1] ? 1 : 0;
            }
        }

        Assert.InRange(dups, 4_600, 5_400);
        Assert.True(differentDelay > dups * 9 / 10);
    }

    [Fact]
    public void Reordering_adds_extra_delay_to_the_chosen_fraction()
    {
        var net = new NetworkModel(2, new LinkProfile(LatencyDistribution.Constant(1_000), Reorder: 0.2, ReorderDelayUs: 5_000));
        var r = new Xoshiro256StarStar(3);
        Span<long> d = stackalloc long[2];
        int delayed = 0;
        for (int i = 0; i < Draws; i++)
        {
            net.Decide(0, 1, PacketClass.Data, ref r, d);
            Assert.InRange(d[0], 1_000, 6_000);
            delayed += d[0] > 1_000 ? 1 : 0;
        }

        Assert.InRange(delayed, 19_300, 20_700);
    }

    [Fact]
    public void Lognormal_latency_has_its_median_and_stays_clamped()
    {
        LatencyDistribution dist = LatencyDistribution.LogNormal(2_000, 0.8, 300, 50_000);
        var r = new Xoshiro256StarStar(4);
        long[] samples = new long[Draws];
        for (int i = 0; i < Draws; i++)
        {
            samples[i] = dist.Sample(ref r);
            Assert.InRange(samples[i], 300, 50_000);
        }

        Array.Sort(samples);
        Assert.InRange(samples[Draws / 2], 1_900, 2_100);
        Assert.True(samples[Draws * 99 / 100] > 10_000, "a heavy tail");
    }

    [Fact]
    public void Sender_loss_hits_every_receiver_at_once_at_its_rate()
    {
        var net = new NetworkModel(3, LinkProfile.Perfect, senderDataLoss: 0.01, senderControlLoss: 0.5);
        var r = new Xoshiro256StarStar(5);
        int data = 0, control = 0;
        for (int i = 0; i < Draws; i++)
        {
            data += net.LostAtSender(PacketClass.Data, ref r) ? 1 : 0;
            control += net.LostAtSender(PacketClass.Control, ref r) ? 1 : 0;
        }

        Assert.InRange(data, 850, 1_150);
        Assert.InRange(control, 49_300, 50_700);
    }

    [Fact]
    public void Link_overrides_apply_to_their_links_and_later_ones_win()
    {
        var slow = new LinkProfile(LatencyDistribution.Constant(50_000));
        var lossy = new LinkProfile(LatencyDistribution.Constant(7), DataLoss: 1);
        var net = new NetworkModel(4, LinkProfile.Perfect, [new LinkOverride([0, 1], [2, 3], slow), new LinkOverride([1], [3], lossy)]);
        Assert.Same(slow, net.ProfileFor(0, 2));
        Assert.Same(slow, net.ProfileFor(1, 2));
        Assert.Same(lossy, net.ProfileFor(1, 3));
        Assert.Same(LinkProfile.Perfect, net.ProfileFor(2, 0));
        Assert.Same(LinkProfile.Perfect, net.ProfileFor(0, 1));
        var r = new Xoshiro256StarStar(6);
        Span<long> d = stackalloc long[2];
        Assert.Equal(0, net.Decide(1, 3, PacketClass.Data, ref r, d));
        Assert.Equal(1, net.Decide(1, 3, PacketClass.Control, ref r, d));
    }

    [Fact]
    public void Partitions_block_both_ways_one_way_blocks_one_way_and_heal_restores()
    {
        var net = new NetworkModel(5, LinkProfile.Perfect);
        Assert.False(net.IsBlocked(0, 4));
        net.Partition([[0, 1]]);
        Assert.True(net.IsBlocked(0, 2));
        Assert.True(net.IsBlocked(2, 0));
        Assert.False(net.IsBlocked(0, 1));
        Assert.False(net.IsBlocked(2, 4)); // the unlisted nodes form one group together
        net.Heal();
        Assert.False(net.IsBlocked(0, 2));
        Assert.False(net.IsPartitioned);

        net.BlockOneWay([0], [3, 4]);
        Assert.True(net.IsBlocked(0, 3));
        Assert.True(net.IsBlocked(0, 4));
        Assert.False(net.IsBlocked(3, 0));
        Assert.False(net.IsBlocked(1, 3));
        var r = new Xoshiro256StarStar(7);
        Span<long> d = stackalloc long[2];
        Assert.Equal(0, net.Decide(0, 3, PacketClass.Control, ref r, d));
        Assert.Equal(1, net.Decide(3, 0, PacketClass.Control, ref r, d));
        net.Heal();
        Assert.False(net.IsBlocked(0, 3));
    }

    [Fact]
    public void Invalid_profiles_are_rejected_with_the_field()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() =>
            new NetworkModel(2, new LinkProfile(LatencyDistribution.Constant(1), DataLoss: 1.5)));
        Assert.Contains("data_loss", ex.Message, StringComparison.Ordinal);
        Assert.Contains("latency", new LinkProfile(LatencyDistribution.Uniform(10, 5)).Validate(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkModel(2, LinkProfile.Perfect).Partition([[5]]));
    }

    [Fact]
    public void Packet_pool_reuses_buffers_and_refuses_over_release()
    {
        var pool = new PacketPool();
        PacketBuffer a = pool.Rent([1, 2, 3], PacketClass.Data);
        a.AddReference();
        pool.Release(a);
        Assert.Equal(1, pool.InUse);
        pool.Release(a);
        Assert.Equal(0, pool.InUse);
        PacketBuffer b = pool.Rent([9], PacketClass.Nack);
        Assert.Same(a, b);
        Assert.Equal(1, pool.Created);
        Assert.Equal(9, b.Span[0]);
        Assert.Equal(1, b.Length);
        pool.Release(b);
        Assert.Throws<InvalidOperationException>(() => pool.Release(b));
        Assert.Throws<ArgumentException>(() => pool.Rent(new byte[PacketPool.MaxDatagramBytes + 1], PacketClass.Data));
    }
}
