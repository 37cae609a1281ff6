using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ClusterMembershipTests
{
    private static readonly NodeId Self = new(1), A = new(2), B = new(3);

    private sealed class Events : IMembershipListener, IProbeSender
    {
        public List<string> Log { get; } = [];

        public List<(NodeId Member, long AtUs)> Probes { get; } = [];

        public void OnMemberAlive(NodeId member, ulong incarnation, long nowUs) => Log.Add($"alive {member}/{incarnation}");

        public void OnMemberFailed(NodeId member, ulong incarnation, long nowUs) => Log.Add($"failed {member}/{incarnation}");

        public void SendProbe(NodeId member, long nowUs) => Probes.Add((member, nowUs));
    }

    private static MessageHeader From(NodeId n, ulong incarnation) => new(MessageType.Heartbeat, 1, n, incarnation, 0, 1, 0, 1);

    private static (ClusterMembership View, Events Events) Make(MembershipOptions? options = null)
    {
        var view = new ClusterMembership(Self, 1, options ?? new MembershipOptions());
        var e = new Events();
        view.Attach(e);
        view.ProbeSender = e;
        return (view, e);
    }

    private static void RunTo(ClusterMembership v, long fromUs, long toUs, long stepUs = 1_000)
    {
        for (long t = fromUs; t <= toUs; t += stepUs)
        {
            v.Tick(t);
        }
    }

    [Fact]
    public void Silence_leads_to_suspicion_and_probes_and_an_answer_refutes_it()
    {
        var (v, e) = Make();
        long period = v.MemberPeriodUs;
        v.OnHeard(From(A, 1), 0);
        Assert.Equal(["alive n2/1"], e.Log);
        Assert.Equal(2, v.LiveCount);

        RunTo(v, 0, (3 * period) - 1_000);
        Assert.Equal(MemberState.Alive, v.StateOf(A));
        RunTo(v, 3 * period, (3 * period) + 50_000);
        Assert.Equal(MemberState.Suspected, v.StateOf(A));
        Assert.True(v.IsAlive(A)); // a suspect is still a member
        Assert.Single(e.Probes);

        v.OnHeard(From(A, 1), (3 * period) + 60_000); // the probe's answer (any datagram)
        Assert.Equal(MemberState.Alive, v.StateOf(A));
        Assert.Equal(1, v.RefutedSuspicions);
        Assert.Equal(["alive n2/1"], e.Log); // no failure was ever declared
    }

    [Fact]
    public void Unanswered_probes_declare_failure_and_a_late_sign_of_life_counts_as_false()
    {
        var options = new MembershipOptions();
        var (v, e) = Make(options);
        long period = v.MemberPeriodUs;
        v.OnHeard(From(A, 1), 0);
        v.OnHeard(From(B, 1), 0);
        long end = (3 * period) + (period / 4) + ((options.ProbeAttempts + 1) * options.ProbeIntervalUs);
        for (long t = 0; t <= end; t += 1_000)
        {
            if (t % period == 0)
            {
                v.OnHeard(From(B, 1), t); // B keeps heartbeating
            }

            v.Tick(t);
        }

        Assert.Equal(MemberState.Failed, v.StateOf(A));
        Assert.Equal(MemberState.Alive, v.StateOf(B));
        Assert.Equal(options.ProbeAttempts, e.Probes.Count);
        Assert.All(e.Probes, p => Assert.Equal(A, p.Member));
        Assert.Equal("failed n2/1", e.Log[^1]);
        Assert.False(v.IsAlive(A));
        Assert.Equal(2, v.LiveCount);
        Assert.Equal(1, v.Failures);

        v.OnHeard(From(A, 1), end + 1);
        Assert.Equal(1, v.FalseFailures);
        Assert.True(v.IsAlive(A));
    }

    [Fact]
    public void New_incarnation_replaces_the_old_self_and_old_datagrams_are_ignored()
    {
        var (v, e) = Make();
        v.OnHeard(From(A, 1), 0);
        v.OnHeard(From(A, 2), 10);
        Assert.Equal(["alive n2/1", "failed n2/1", "alive n2/2"], e.Log);
        v.OnHeard(From(A, 1), 20);
        Assert.Equal(3, e.Log.Count);
        Assert.Equal(2ul, v.IncarnationOf(A));
        Assert.Equal(0, v.Failures); // a restart is not a failure declaration
    }

    [Fact]
    public void Coordinator_of_1000_watches_every_member_on_the_direct_period_after_a_grace_period()
    {
        var (v, e) = Make();
        v.ExpectedMembers = 1000;
        for (uint i = 2; i <= 1000; i++)
        {
            v.OnHeard(From(new NodeId(i), 1), 0);
            v.OnReport(new NodeId(i), 1, new MemberReport(0, 0, 0, v.MemberPeriodUs, 0, 0));
        }

        Assert.Equal(499_500_000, v.MemberPeriodUs); // the group beat: 1000 x 999 / 2000 per s
        Assert.Equal(4_000_000, v.DirectPeriodUs);   // the direct beat: 1000 / 250 per s
        long p = v.DirectPeriodUs;
        Assert.Equal(long.MaxValue, v.DirectWatchPeriodUs);
        v.Tick(0);

        // Becomes coordinator 100 s later: nobody was heard since, yet nobody is suspected before 3 direct periods.
        const long start = 100_000_000;
        v.WatchDirect(v.DirectPeriodUs, start);
        Assert.True(v.NextDeadlineUs <= start + (p / 4)); // the table is scanned every quarter of the watched period
        for (long t = start; t <= start + (5 * p); t += 250_000)
        {
            if (t >= start + (p / 2) && (t - start) % p == p / 2)
            {
                for (uint i = 3; i <= 1000; i++)
                {
                    v.OnHeard(From(new NodeId(i), 1), t); // every member but n2 beats directly every period
                }
            }

            v.Tick(t);
            if (t < start + (3 * p))
            {
                Assert.Equal(MemberState.Alive, v.StateOf(A));
            }
        }

        Assert.NotEqual(MemberState.Alive, v.StateOf(A)); // 3 direct periods of silence: suspected and probed
        Assert.Equal(1, v.Suspicions);
        Assert.Equal(A, e.Probes[0].Member);
        Assert.InRange(e.Probes[0].AtUs, start + (3 * p), start + (3 * p) + 500_000);

        // No longer coordinator: back to the group period (n3 is silent for 20 s and stays alive).
        v.WatchDirect(long.MaxValue, start + (5 * p));
        RunTo(v, start + (5 * p), start + (5 * p) + 20_000_000, 250_000);
        Assert.Equal(MemberState.Alive, v.StateOf(B));
        Assert.Equal(1, v.Suspicions);
    }

    [Fact]
    public void Coordinator_with_a_fast_period_is_watched_between_scans()
    {
        var (v, e) = Make(new MembershipOptions { MemberHeartbeatDeliveriesPerSecond = 49 });
        for (uint i = 2; i <= 50; i++)
        {
            v.OnHeard(From(new NodeId(i), 1), 0);
        }

        Assert.Equal(50_000_000, v.MemberPeriodUs); // 50 members, 49 heartbeat deliveries per second in all
        v.OnReport(A, 1, new MemberReport(0, 0, 0, 100_000, 0, 0));
        v.Tick(0);
        long next = v.NextDeadlineUs;
        Assert.Equal(300_000, next); // 3 of its 100 ms periods, not the next scan a quarter period (12.5 s) away
        v.Tick(next);
        Assert.Equal(MemberState.Suspected, v.StateOf(A));
        Assert.Equal(MemberState.Alive, v.StateOf(B));
        Assert.Single(e.Probes);
    }

    [Fact]
    public void Heartbeat_period_grows_with_size_so_total_and_per_node_traffic_stay_bounded()
    {
        var o = new MembershipOptions();
        Assert.Equal(500_000, o.MemberPeriodUs(1));
        Assert.Equal(500_000, o.MemberPeriodUs(5));
        Assert.Equal(500_000, o.MemberPeriodUs(32));       // 32 x 31 = 992 receivers' slots at 2 beats per second each
        Assert.Equal(1_225_000, o.MemberPeriodUs(50));
        Assert.Equal(499_500_000, o.MemberPeriodUs(1000));
        double d = o.MemberHeartbeatDeliveriesPerSecond, min = o.MinMemberPeriodUs / 1e6;
        foreach (int n in new[] { 1, 2, 3, 5, 25, 32, 33, 39, 40, 50, 100, 1000, 9383 })
        {
            double period = o.MemberPeriodUs(n) / 1e6;
            double received = (n - 1) / period;                 // each beat reaches the n - 1 others
            double deliveries = n * received;                   // cluster-wide
            Assert.True(deliveries <= Math.Max(d, n * (n - 1) / min) + 1e-3);
            Assert.True(n * (n - 1) < d * min || deliveries <= d * (1 + 1e-5)); // the period is truncated to whole microseconds
            Assert.True(received <= Math.Sqrt(d / min) + 1 + 1e-3);
        }

        Assert.Equal(2.0, 999 / (o.MemberPeriodUs(1000) / 1e6), 3); // n = 1000: each node receives 2 per second
    }

    [Fact]
    public void Candidates_come_from_live_healthy_reporting_members()
    {
        var (v, _) = Make();
        v.SetOwnReport(new MemberReport(3000, 10, 0, 500_000, 0, 0));
        v.OnHeard(From(A, 1), 0);
        v.OnReport(A, 1, new MemberReport(5000, 20, 0, 500_000, 0, 0));
        v.OnHeard(From(B, 1), 0);
        v.OnReport(B, 1, new MemberReport(5000, 30, 1, 500_000, 0, 0)); // unhealthy
        v.OnHeard(From(new NodeId(4), 1), 0); // never reported
        var c = new ElectionCandidate[8];
        int n = v.CopyCandidates(c, _ => true);
        Assert.Equal([Self, A], c[..n].Select(x => x.Node));
        Assert.Equal(1, v.CopyCandidates(c, id => id != Self));
        v.OnReport(A, 7, new MemberReport(1, 1, 0, 1, 0, 0)); // wrong incarnation: ignored
        Assert.True(v.TryGetReport(A, out MemberReport r));
        Assert.Equal(5000, r.UtilizationBp);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var (v, _) = Make();
        for (uint i = 2; i <= 1000; i++)
        {
            v.OnHeard(From(new NodeId(i), 1), 0);
            v.OnReport(new NodeId(i), 1, new MemberReport(100, 5, 0, 20_000_000, 0, 0));
        }

        var c = new ElectionCandidate[1000];
        Func<NodeId, bool> all = static _ => true;
        v.Tick(1);
        AllocationAssert.NothingInSteadyState("100 s of heartbeats", w =>
        {
            for (long t = 2 + (w * 100_000_000L); t < (w + 1) * 100_000_000L; t += 50_000)
            {
                uint id = 2 + (uint)(t / 50_000 % 999);
                v.OnHeard(From(new NodeId(id), 1), t);
                v.Tick(t);
            }

            v.CopyCandidates(c, all);
        });
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new MembershipOptions { ProbeAttempts = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new MembershipOptions { MemberHeartbeatDeliveriesPerSecond = double.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new MembershipOptions { SuspectAfterPeriods = 0.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new ClusterMembership(NodeId.None, 1, new MembershipOptions()));
    }
}
