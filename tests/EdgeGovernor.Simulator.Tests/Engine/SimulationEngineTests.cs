using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Network;
using EdgeGovernor.Simulator.Tests.Fakes;

namespace EdgeGovernor.Simulator.Tests.Engine;

public class SimulationEngineTests
{
    private static SimulationConfig Config(int nodes, LinkProfile link, double senderLoss = 0, IReadOnlyList<FaultAction>? faults = null, ulong seed = 1) => new()
    {
        NodeCount = nodes,
        Seed = seed,
        DurationUs = 3_000_000,
        Network = new NetworkSettings { Default = link, SenderDataLoss = senderLoss },
        Traffic = new TrafficSettings { Publishers = [0, 1], RatePerSecond = 100, PayloadBytes = 40, StartUs = 500_000, StopUs = 1_500_000 },
        Faults = faults ?? [],
    };

    [Fact]
    public void Perfect_network_delivers_everything_and_the_checker_is_satisfied()
    {
        var checker = new StreamDeliveryChecker();
        var sim = new Simulation(Config(5, new LinkProfile(LatencyDistribution.Uniform(100, 300))), new FloodNodeFactory(), [checker]);
        sim.Run();
        Assert.Equal(200, sim.Stats.MessagesPublished);
        Assert.Equal(200 * 4, checker.ExpectedDeliveries);
        Assert.Equal(checker.ExpectedDeliveries, checker.MessagesDelivered);
        Assert.Equal(0, checker.Violations);
        Assert.Equal(0, sim.Stats.LossEvents);
    }

    [Fact]
    public void An_unreliable_node_under_loss_and_reordering_is_caught_by_the_checker()
    {
        var checker = new StreamDeliveryChecker();
        var link = new LinkProfile(LatencyDistribution.Constant(1_000), DataLoss: 0.1, Reorder: 0.3, ReorderDelayUs: 50_000, Duplicate: 0.05);
        var sim = new Simulation(Config(5, link), new FloodNodeFactory(), [checker]);
        sim.Run();
        Assert.True(checker.Missing > 0);
        Assert.True(checker.Gaps > 0);
        Assert.True(checker.Duplicates > 0);
        Assert.True(checker.MessagesDelivered < checker.ExpectedDeliveries);
        Assert.Equal(checker.Gaps + checker.Duplicates + checker.Missing, checker.Violations);
        Assert.True(sim.Stats.LossEvents > 0);
        Assert.Equal(sim.Stats.LostAtReceiver, sim.Stats.ReceiverMisses + LostControl(sim));
    }

    private static long LostControl(Simulation sim) => sim.Stats.LostAtReceiver - sim.Stats.ReceiverMisses;

    [Fact]
    public void Sender_side_loss_is_one_loss_event_missed_by_every_receiver()
    {
        var sim = new Simulation(Config(11, LinkProfile.Perfect, senderLoss: 0.2), new FloodNodeFactory(), [new StreamDeliveryChecker()]);
        sim.Run();
        Assert.True(sim.Stats.LossEvents > 10);
        Assert.Equal(0, sim.Stats.LostAtReceiver);
        Assert.Equal(sim.Stats.LossEvents * 10, sim.Stats.ReceiverMisses);
    }

    [Fact]
    public void A_group_send_shares_one_buffer_among_all_receivers()
    {
        var config = Config(200, new LinkProfile(LatencyDistribution.Uniform(1_000, 2_000))) with
        {
            Traffic = new TrafficSettings { Publishers = [0], RatePerSecond = 10, PayloadBytes = 40, StartUs = 500_000, StopUs = 1_500_000 },
        };
        var sim = new Simulation(config, new FloodNodeFactory());
        sim.Run();
        // 200 heartbeats every 100 ms plus data, each sent to 199 receivers: buffers track
        // datagrams in flight (about 200 per 2 ms), not receiver copies (40,000 per round).
        Assert.True(sim.Stats.DatagramsArrived > 1_000_000);
        Assert.InRange(sim.Stats.PacketBuffersCreated, 1, 1_000);
    }

    [Fact]
    public void Ticks_follow_the_node_deadlines_and_stop_at_a_crash()
    {
        var factory = new FloodNodeFactory();
        var config = Config(2, LinkProfile.Perfect, faults: [FaultAction.Crash(1_000_000, 1)]);
        var sim = new Simulation(config, factory);
        sim.Run();
        // Node 0 heartbeats at 0, 0.1, ..., 3.0 s: 31 ticks. Node 1 ticks at 0..0.9 s: the crash
        // at 1.0 s was scheduled before that tick, and equal times run in scheduling order.
        Assert.Equal(31, factory.Created[0].Ticks);
        Assert.Equal(10, factory.Created[1].Ticks);
        Assert.False(sim.IsAlive(1));
        Assert.Equal(1, sim.Stats.Crashes);
    }

    [Fact]
    public void Restart_makes_a_new_incarnation_that_keeps_its_store()
    {
        var factory = new FloodNodeFactory();
        var link = new LinkProfile(LatencyDistribution.Uniform(1_000, 20_000));
        var config = Config(3, link, faults: [FaultAction.Crash(800_000, 2), FaultAction.Restart(1_200_000, 2)]);
        var sim = new Simulation(config, factory);
        sim.Schedule(100_000, s => s.StoreOf(2).Write("vote", [7]));
        sim.Run();
        Assert.Equal(4, factory.Created.Count);
        FloodNode reborn = factory.Created[3];
        Assert.Equal(2, reborn.Context.Index);
        Assert.Equal(2, reborn.Context.Life);
        Assert.Equal(2UL, reborn.Context.Incarnation);
        Assert.True(reborn.Context.Store.TryRead("vote", out ReadOnlySpan<byte> vote));
        Assert.Equal(7, vote[0]);
        Assert.Same(reborn, sim.NodeAt(2));
        Assert.True(sim.Stats.ArrivedAtCrashedNode > 0);
    }

    [Fact]
    public void Partition_faults_stop_traffic_between_groups_until_healed()
    {
        var faults = new[] { FaultAction.Partition(0, [0], [1]), FaultAction.Heal(850_000) };
        var sim = new Simulation(Config(2, LinkProfile.Perfect, faults: faults), new FloodNodeFactory());
        sim.Start();
        sim.RunUntil(900_000);
        Assert.True(sim.Stats.BlockedByPartition > 0);
        long blocked = sim.Stats.BlockedByPartition;
        sim.RunUntil(3_000_000);
        sim.Finish();
        Assert.Equal(blocked, sim.Stats.BlockedByPartition);
    }

    [Fact]
    public void Same_seed_same_trace_different_seed_different_trace()
    {
        var link = new LinkProfile(LatencyDistribution.LogNormal(1_000, 0.5, 100, 20_000), DataLoss: 0.2, ControlLoss: 0.2, Duplicate: 0.05, Reorder: 0.1, ReorderDelayUs: 3_000);
        ulong Hash(ulong seed)
        {
            var sim = new Simulation(Config(6, link, seed: seed), new FloodNodeFactory(), [new StreamDeliveryChecker()]);
            sim.Run();
            return sim.TraceHash;
        }

        Assert.Equal(Hash(5), Hash(5));
        Assert.NotEqual(Hash(5), Hash(6));
    }

    [Fact]
    public void Steady_state_traffic_allocates_nothing_per_datagram_in_the_engine()
    {
        var link = new LinkProfile(LatencyDistribution.LogNormal(800, 0.6, 100, 30_000), DataLoss: 0.1, ControlLoss: 0.1, Duplicate: 0.05, Reorder: 0.1, ReorderDelayUs: 5_000);
        var config = Config(50, link) with
        {
            DurationUs = 5_000_000,
            Traffic = new TrafficSettings { Publishers = [0, 1, 2], RatePerSecond = 200, PayloadBytes = 64, StartUs = 100_000, StopUs = 5_000_000 },
        };
        var sim = new Simulation(config, new FloodNodeFactory(), [new NoOpChecker()]);
        sim.Start();
        sim.RunUntil(2_000_000); // warm-up: packet pool, agenda, fan-outs and JIT reach their working size
        long arrivalsBefore = sim.Stats.DatagramsArrived;
        // 2 s of simulated traffic in three windows (2.0-2.6, 2.6-3.3, 3.3-4.0 s).
        AllocationAssert.NothingInSteadyState("0.67 s of simulated traffic", w => sim.RunUntil(2_000_000 + (2_000_000 * (w + 1) / 3)));
        long arrivals = sim.Stats.DatagramsArrived - arrivalsBefore;
        Assert.True(arrivals > 50_000, $"{arrivals} arrivals");
    }

    private sealed class NoOpChecker : SimulationChecker
    {
        public override string Name => "no-op";
    }

    [Fact]
    public void A_timer_armed_from_a_scheduled_action_runs_on_time()
    {
        var factory = new TimerNodeFactory();
        var sim = new Simulation(new SimulationConfig { NodeCount = 2, Seed = 1, DurationUs = 2_000_000 }, factory);
        sim.Schedule(500_000, s => ((TimerNode)s.NodeAt(1)!).Arm(Simulation.ClockOriginUs + 700_000));
        sim.Run();
        Assert.Equal([Simulation.ClockOriginUs + 700_000], factory.Nodes[1].TickTimes);
        Assert.Empty(factory.Nodes[0].TickTimes);
    }

    private sealed class TimerNode : ISimulatedNode
    {
        private long _deadline = long.MaxValue;

        public List<long> TickTimes { get; } = [];

        public long NextDeadlineUs => _deadline;

        public int RetainedMessages => 0;

        public void Arm(long atUs) => _deadline = atUs;

        public void Receive(ReadOnlySpan<byte> datagram, long nowUs)
        {
        }

        public void Tick(long nowUs)
        {
            TickTimes.Add(nowUs);
            _deadline = long.MaxValue;
        }

        public bool TryPublish(ReadOnlySpan<byte> payload, long nowUs) => false;
    }

    private sealed class TimerNodeFactory : INodeFactory
    {
        public List<TimerNode> Nodes { get; } = [];

        public int RetentionFloor => 0;

        public ISimulatedNode Create(NodeContext context)
        {
            var node = new TimerNode();
            Nodes.Add(node);
            return node;
        }

        public PacketClass Classify(ReadOnlySpan<byte> datagram) => PacketClass.Control;
    }
}
