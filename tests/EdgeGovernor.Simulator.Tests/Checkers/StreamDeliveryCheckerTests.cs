using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Workload;

namespace EdgeGovernor.Simulator.Tests.Checkers;

public class StreamDeliveryCheckerTests
{
    [Fact]
    public void Payload_format_round_trips_and_detects_damage()
    {
        byte[] p = new byte[64];
        PayloadFormat.Write(p, 3, 2, 77);
        Assert.True(PayloadFormat.TryRead(p, out int sender, out int life, out ulong number));
        Assert.Equal((3, 2, 77UL), (sender, life, number));
        p[40] ^= 1;
        Assert.False(PayloadFormat.TryRead(p, out _, out _, out _));
        Assert.False(PayloadFormat.TryRead(p.AsSpan(0, 10), out _, out _, out _));
    }
}
