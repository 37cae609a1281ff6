using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Tests.Engine;

public class EventQueueTests
{
    [Fact]
    public void Events_come_out_by_time_then_by_scheduling_order()
    {
        var queue = new EventQueue();
        var random = new Xoshiro256StarStar(3);
        var popped = new List<(long Time, int Order)>();
        int order = 0;
        for (int round = 0; round < 200; round++)
        {
            int pushes = (int)random.NextBounded(60);
            for (int i = 0; i < pushes; i++)
            {
                long time = (long)random.NextBounded(50); // many equal times
                queue.Push(new ScheduledEvent { TimeUs = time + (popped.Count > 0 ? popped[^1].Time : 0), Argument = order++ });
            }

            int pops = (int)Math.Min((ulong)queue.Count, random.NextBounded(60));
            for (int i = 0; i < pops; i++)
            {
                ScheduledEvent e = queue.Pop();
                popped.Add((e.TimeUs, e.Argument));
            }
        }

        while (queue.Count > 0)
        {
            ScheduledEvent e = queue.Pop();
            popped.Add((e.TimeUs, e.Argument));
        }

        Assert.Equal(order, popped.Count);
        for (int i = 1; i < popped.Count; i++)
        {
            Assert.True(popped[i - 1].Time <= popped[i].Time, $"time went back at {i}");
            if (popped[i - 1].Time == popped[i].Time)
            {
                Assert.True(popped[i - 1].Order < popped[i].Order, $"equal times out of scheduling order at {i}");
            }
        }

        Assert.Throws<InvalidOperationException>(() => queue.Pop());
    }
}
