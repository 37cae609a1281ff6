using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Tests.Randomness;

public class XoshiroTests
{
    [Fact]
    public void Same_seed_and_stream_give_the_same_sequence_and_streams_differ()
    {
        var a = Xoshiro256StarStar.Derive(42, RandomStream.Network);
        var b = Xoshiro256StarStar.Derive(42, RandomStream.Network);
        var c = Xoshiro256StarStar.Derive(42, RandomStream.Workload);
        var d = Xoshiro256StarStar.Derive(43, RandomStream.Network);
        var e = Xoshiro256StarStar.Derive(42, RandomStream.Node, 1);
        var f = Xoshiro256StarStar.Derive(42, RandomStream.Node, 2);
        for (int i = 0; i < 1000; i++)
        {
            ulong x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            Assert.NotEqual(x, c.NextUInt64());
            Assert.NotEqual(x, d.NextUInt64());
            Assert.NotEqual(e.NextUInt64(), f.NextUInt64());
        }
    }

    [Fact]
    public void Known_answer_for_seed_zero_is_stable()
    {
        // Reference values computed independently (xoshiro256** state from SplitMix64(0), as in
        // Vigna's reference code); a change here changes every recorded simulator figure.
        var r = new Xoshiro256StarStar(0);
        Assert.Equal(0x99EC5F36CB75F2B4UL, r.NextUInt64());
        Assert.Equal(0xBF6E1F784956452AUL, r.NextUInt64());
    }

    [Fact]
    public void Doubles_are_uniform_in_unit_interval()
    {
        var r = new Xoshiro256StarStar(7);
        const int N = 200_000;
        double sum = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < N; i++)
        {
            double x = r.NextDouble();
            Assert.InRange(x, 0.0, 0.9999999999999999);
            sum += x;
            buckets[(int)(x * 10)]++;
        }

        Assert.InRange(sum / N, 0.497, 0.503);
        Assert.All(buckets, b => Assert.InRange(b, (N / 10) - 800, (N / 10) + 800));
    }

    [Fact]
    public void Bounded_values_stay_in_range_and_chance_matches_probability()
    {
        var r = new Xoshiro256StarStar(9);
        int hits = 0;
        for (int i = 0; i < 100_000; i++)
        {
            Assert.InRange(r.NextInt64(-5, 6), -5, 5);
            hits += r.Chance(0.3) ? 1 : 0;
        }

        Assert.InRange(hits, 29_300, 30_700);
        Assert.False(r.Chance(0));
        Assert.True(r.Chance(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.NextBounded(0));
    }
}
