using EdgeGovernor.Protocol.Channels;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class NackBackoffTests
{
    [Fact]
    public void Backoff_follows_the_truncated_exponential_and_stays_in_range()
    {
        var random = new SplitMix64Random(99);
        int early = 0;
        for (int i = 0; i < 10_000; i++)
        {
            long d = NackBackoff.DelayUs(random.NextDouble(), 40_000, 1000);
            Assert.InRange(d, 0, 40_000);
            if (d < 10_000)
            {
                early++;
            }
        }

        // P(delay < T/4) = (e^(lambda/4) - 1) / (e^lambda - 1) with lambda = ln(1000) + 1: about 0.23 %.
        Assert.InRange(early, 5, 60);
        Assert.Equal(0, NackBackoff.DelayUs(0.5, 0, 10));
    }
}
