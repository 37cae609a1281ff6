using System.Text.Json;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// The cluster layer in one simulator run: it plugs a <see cref="ClusterNode"/> into every node the factory makes,
/// drives the cluster workload (a price feed that the coordinator publishes, coordinator kills, a flapping node),
/// checks the cluster guarantees and collects the cluster figures.
/// </summary>
/// <remarks>
/// Checks (each breach counts into <c>safety_violations</c>):
/// <list type="bullet">
/// <item>at most one coordinator per term;</item>
/// <item>no coordinator is elected by a node that cannot reach a quorum of the roster (both ways) at that moment;</item>
/// <item>every price a node holds or applies equals the feed's price for that interval (so every live member of a
/// quorum partition applies the same price for the same interval);</item>
/// <item>no expired price is applied: a price a node reports as in force covers the simulator's true time.</item>
/// </list>
/// </remarks>
public sealed class ClusterRun : SimulationChecker
{
    /// <summary>Unix time (µs) at simulated time 0: 2024-01-01T00:00Z.</summary>
    public const long EpochUs = 1_704_067_200_000_000;

    private readonly ClusterSettings _settings;
    private readonly ClusterOptions _options;
    private readonly SimulatedKeys _keys;
    private readonly bool[] _isVoter;
    private readonly NodeId[] _roster;
    private readonly ushort[] _utilization;
    private readonly uint[] _capacity;
    private readonly ClusterNode?[] _current;
    private readonly List<ClusterNode> _lives = [];
    private readonly Dictionary<ulong, int> _leaderOfTerm = [];
    private readonly Dictionary<long, long> _publishedAtUs = [];   // interval number -> when the coordinator took it
    private readonly int[] _lastIntervalHeld;
    private readonly long[] _startedUs;
    private readonly SplitMix64Random _random;
    private readonly ClusterFigures _figures = new();
    private Simulation? _sim;
    private int _coordinator = -1;
    private ulong _coordinatorTerm;
    private long _gapStartUs;
    private long _withoutCoordinatorUs;
    private long _failoverStartUs = -1;
    private ulong _failoverTerm;

    /// <summary>Prepares the run of a scenario of <paramref name="nodeCount"/> nodes.</summary>
    public ClusterRun(ClusterSettings settings, int nodeCount, ulong seed)
    {
        _settings = settings;
        _isVoter = new bool[nodeCount];
        foreach (int i in settings.Roster ?? Enumerable.Range(0, nodeCount))
        {
            _isVoter[i] = true;
        }

        _roster = Enumerable.Range(0, nodeCount).Where(i => _isVoter[i]).Select(i => new NodeId(NodeContext.NodeIdOf(i))).ToArray();
        _keys = new SimulatedKeys(nodeCount, seed);
        _options = new ClusterOptions
        {
            Roster = _roster,
            Signer = _keys.Signer(0),
            Verifier = new RepeatedSignatureCache(_keys.Roster),
            Election = settings.Election,
            Membership = new MembershipOptions { MaxMembers = Math.Max(16, nodeCount + 1) },
        };
        _random = new SplitMix64Random(seed ^ 0xC105E2UL);
        _utilization = new ushort[nodeCount];
        _capacity = new uint[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            _utilization[i] = (ushort)(_random.NextUInt64() % 10_001);
            _capacity[i] = 100 + (uint)(_random.NextUInt64() % 901);
        }

        _current = new ClusterNode?[nodeCount];
        _lastIntervalHeld = new int[nodeCount];
        _startedUs = new long[nodeCount];
    }

    /// <inheritdoc/>
    public override string Name => "cluster";

    /// <summary>The cluster configuration every node runs.</summary>
    public ClusterOptions Options => _options;

    /// <summary>Real vote rounds started, over all nodes and lives.</summary>
    public long Elections => _lives.Sum(c => c.Election.ElectionsStarted);

    /// <summary>Highest term any node reached.</summary>
    public ulong Terms => _lives.Count == 0 ? 0 : _lives.Max(c => c.Election.CurrentTerm);

    /// <summary>Coordinators elected.</summary>
    public long LeaderChanges => _figures.LeaderChanges;

    /// <summary>Members declared failed while they were alive, over all nodes.</summary>
    public long FalseSuspicions => _lives.Sum(c => c.Membership.FalseFailures);

    /// <summary>Members suspected, over all nodes and lives.</summary>
    public long Suspicions => _lives.Sum(c => c.Membership.Suspicions);

    /// <summary>Membership probes sent, over all nodes and lives.</summary>
    public long ProbesSent => _lives.Sum(c => c.Membership.ProbesSent);

    /// <summary>Failover times (ms): from a coordinator's crash until every live node holds a record of a later term.</summary>
    public IReadOnlyList<double> FailoverMs => _figures.FailoverMs;

    /// <summary>When the first coordinator was elected (simulated µs), or -1.</summary>
    public long FirstCoordinatorUs => _figures.FirstCoordinatorUs;

    /// <summary>Simulated time without a coordinator (µs), bootstrap included.</summary>
    public long TimeWithoutCoordinatorUs => _withoutCoordinatorUs + (_coordinator < 0 && _sim is not null ? _sim.NowUs - _gapStartUs : 0);

    /// <summary>Coordinator kills done.</summary>
    public long Kills => _figures.Kills;

    /// <summary>Breaches by kind.</summary>
    public IReadOnlyDictionary<string, long> ViolationsByKind => _figures.ViolationsByKind;

    /// <summary>Plugs the cluster layer into the factory's nodes.</summary>
    public void Install(ProtocolNodeFactory factory)
    {
        factory.Membership = (options, _) => ClusterNode.CreateMembership(options, _options);
        factory.Configure = Configure;
    }

    /// <summary>The cluster layer of <paramref name="node"/>'s current life, or null when it is down.</summary>
    public ClusterNode? NodeAt(int node) => _current[node];

    /// <inheritdoc/>
    public override void Attach(Simulation simulation)
    {
        _sim = simulation;
        _gapStartUs = 0;
        if (_settings.PricePeriodSeconds > 0)
        {
            long period = Seconds(_settings.PricePeriodSeconds);
            for (long k = 1; (k * period) - (period / 2) < simulation.Config.DurationUs; k++)
            {
                long interval = k;
                simulation.Schedule((k * period) - (period / 2), sim => PublishPrice(sim, interval));
            }

            long check = Seconds(_settings.CheckPeriodSeconds);
            for (long t = check; t < simulation.Config.DurationUs; t += check)
            {
                simulation.Schedule(t, CheckPrices);
            }
        }

        if (_settings.Kill is { } kill)
        {
            simulation.Schedule(Seconds(kill.StartSeconds), sim => KillCoordinator(sim, kill, kill.Count));
        }

        if (_settings.Flap is { } flap)
        {
            simulation.Schedule(Seconds(flap.StartSeconds), sim => StartFlapping(sim, flap));
        }
    }

    /// <summary>The node that flaps (-1 until the flapping starts).</summary>
    public int FlappingNode { get; private set; } = -1;

    private void StartFlapping(Simulation sim, ClusterSettings.FlapSettings flap)
    {
        int node = flap.Node;
        if (node < 0)
        {
            for (int i = _isVoter.Length - 1; i >= 0; i--)
            {
                if (_isVoter[i] && i != _coordinator)
                {
                    node = i;
                    break;
                }
            }
        }

        FlappingNode = node;
        for (int j = 0; j < flap.Count; j++)
        {
            long at = sim.NowUs + Seconds(j * flap.PeriodSeconds);
            sim.Schedule(at, s => s.Crash(node));
            sim.Schedule(at + Seconds(flap.DownSeconds), s => s.Restart(node));
        }
    }

    /// <inheritdoc/>
    public override void OnNodeStarted(int node, int life, long timeUs) => _startedUs[node] = timeUs;

    /// <inheritdoc/>
    public override void OnNodeCrashed(int node, int life, long timeUs)
    {
        _current[node] = null;
        if (node == _coordinator)
        {
            if (_failoverStartUs < 0)
            {
                _failoverStartUs = timeUs;
                _failoverTerm = _coordinatorTerm;
            }

            LoseCoordinator(timeUs);
        }
    }

    /// <inheritdoc/>
    public override void OnFinished(long timeUs)
    {
        CheckPrices(_sim!);
    }

    /// <inheritdoc/>
    public override void WriteFigures(Utf8JsonWriter json) => _figures.WriteJson(json, this);

    /// <inheritdoc/>
    public override void WriteSummary(TextWriter output) => _figures.WriteSummary(output, this);

    /// <summary>The feed's price for interval number <paramref name="k"/> (1/10,000 c/kWh): deterministic, varied, sometimes negative.</summary>
    public static int FeedPriceE4(long k) => (int)(80_000 + (60_000 * Math.Sin(k * 0.7)) + ((k * 7919) % 13 * 1000) - 20_000);

    private static long Seconds(double s) => (long)Math.Round(s * 1e6);

    private long NodeNowUs => Simulation.ClockOriginUs + _sim!.NowUs;

    private long UnixMsNow => (EpochUs + _sim!.NowUs) / 1000;

    private void Configure(ProtocolNode node, NodeContext context)
    {
        var handler = new ClusterNodeEvents(this, context);
        ClusterNode cluster = ClusterNode.Attach(node, _options with { Signer = _keys.Signer(context.Index) }, new SimulatedRandomSource(context.Random), new SimulatedVoteStore(context.Store), NodeNowUs, handler);
        cluster.PriceListener = handler;
        cluster.UnixEpochOffsetUs = EpochUs - Simulation.ClockOriginUs;
        cluster.SetLoad(_utilization[context.Index], _capacity[context.Index]);
        _current[context.Index] = cluster;
        _lives.Add(cluster);
    }

    private void PublishPrice(Simulation sim, long k)
    {
        long period = Seconds(_settings.PricePeriodSeconds);
        if (sim.NowUs >= (k + 1) * period)
        {
            return; // the interval is over: the feed's price was never published (no coordinator all along)
        }

        ClusterNode? c = _coordinator >= 0 ? _current[_coordinator] : null;
        if (c is null || !c.IsCoordinator)
        {
            sim.Schedule(sim.NowUs + 50_000, s => PublishPrice(s, k)); // the coordinator polls the feed again
            return;
        }

        long startMs = (EpochUs + (k * period)) / 1000;
        long endMs = (EpochUs + ((k + 1) * period)) / 1000;
        if (c.PublishPrice(startMs, endMs, FeedPriceE4(k), 1, NodeNowUs) == PriceLogResult.Appended)
        {
            _publishedAtUs[k] = sim.NowUs;
            _figures.PricesPublished++;
        }
    }

    private void CheckPrices(Simulation sim)
    {
        long nowMs = UnixMsNow;
        long period = Seconds(_settings.PricePeriodSeconds);
        for (int i = 0; i < _current.Length; i++)
        {
            ClusterNode? c = _current[i];
            if (c is null)
            {
                continue;
            }

            _figures.PriceSamples++;
            if (c.IsCoordinator)
            {
                _figures.CoordinatorSamples++;
                if (ReachableVoters(i) < (_roster.Length / 2) + 1)
                {
                    _figures.MinorityCoordinatorSamples++; // a deposed-to-be coordinator cut off from the quorum (until CheckQuorum)
                }
            }

            PriceStatus status = c.GetPriceInForce(NodeNowUs, out PriceRecord r);
            if (status != PriceStatus.Fresh)
            {
                _ = status == PriceStatus.Stale ? _figures.StaleSamples++ : _figures.NoPriceSamples++;
                continue;
            }

            if (!(r.IntervalStartMs <= nowMs && nowMs < r.IntervalEndMs))
            {
                Breach("expired_price_applied", $"node {i} applies [{r.IntervalStartMs},{r.IntervalEndMs}) at {nowMs}");
            }

            CheckFeedPrice(i, r, period);
        }
    }

    private void CheckFeedPrice(int node, in PriceRecord r, long period)
    {
        long k = ((r.IntervalStartMs * 1000) - EpochUs) / period;
        if (r.PriceE4 != FeedPriceE4(k))
        {
            Breach("price_disagreement", $"node {node} holds {r.PriceE4} for interval {k}, the feed said {FeedPriceE4(k)}");
        }
    }

    private void KillCoordinator(Simulation sim, ClusterSettings.KillSettings kill, int left)
    {
        ClusterNode? c = _coordinator >= 0 ? _current[_coordinator] : null;
        if (c is null || !c.IsCoordinator)
        {
            sim.Schedule(sim.NowUs + 100_000, s => KillCoordinator(s, kill, left)); // wait for one to exist
            return;
        }

        var victims = new List<int> { _coordinator };
        if (kill.WithAlternates)
        {
            foreach (NodeId a in c.Election.Alternates)
            {
                victims.Add((int)a.Value - 1);
            }
        }

        _figures.Kills++;
        foreach (int v in victims)
        {
            sim.Crash(v);
            if (kill.RestartAfterSeconds > 0)
            {
                sim.Schedule(sim.NowUs + Seconds(kill.RestartAfterSeconds), s => s.Restart(v));
            }
        }

        if (left > 1)
        {
            double gap = kill.MinGapSeconds + (_random.NextDouble() * (kill.MaxGapSeconds - kill.MinGapSeconds));
            sim.Schedule(sim.NowUs + Seconds(gap), s => KillCoordinator(s, kill, left - 1));
        }
    }

    /// <summary>A node's view of the coordinator changed (from its <see cref="ClusterNodeEvents"/>).</summary>
    internal void OnLeadership(int node, NodeId leader, ulong term)
    {
        long now = _sim!.NowUs;
        if (leader == new NodeId(NodeContext.NodeIdOf(node)))
        {
            if (_leaderOfTerm.TryGetValue(term, out int other) && other != node)
            {
                Breach("two_coordinators_in_term", $"term {term}: node {other} and node {node}");
            }

            _leaderOfTerm[term] = node;
            _figures.LeaderChanges++;
            CheckQuorumReachable(node, term);
            if (_figures.FirstCoordinatorUs < 0)
            {
                _figures.FirstCoordinatorUs = now;
            }

            if (_coordinator < 0 || term >= _coordinatorTerm)
            {
                if (_coordinator < 0)
                {
                    _withoutCoordinatorUs += now - _gapStartUs;
                }

                _coordinator = node;
                _coordinatorTerm = term;
            }
        }
        else if (node == _coordinator && _current[node] is { IsCoordinator: false })
        {
            LoseCoordinator(now); // stepped down
        }
    }

    private void LoseCoordinator(long nowUs)
    {
        _coordinator = -1;
        _gapStartUs = nowUs;
    }

    private void CheckQuorumReachable(int node, ulong term)
    {
        if (!_sim!.Network.IsPartitioned)
        {
            return;
        }

        int reachable = ReachableVoters(node);
        if (reachable < (_roster.Length / 2) + 1)
        {
            Breach("coordinator_in_minority", $"node {node} became coordinator of term {term} reaching only {reachable} of {_roster.Length} voters");
        }
    }

    private int ReachableVoters(int node)
    {
        int reachable = 0;
        foreach (NodeId v in _roster)
        {
            int j = (int)v.Value - 1;
            if (j == node || (_sim!.IsAlive(j) && !_sim.Network.IsBlocked(node, j) && !_sim.Network.IsBlocked(j, node)))
            {
                reachable++;
            }
        }

        return reachable;
    }

    /// <summary>A node holds a price record (from its <see cref="ClusterNodeEvents"/>).</summary>
    internal void OnHeld(int node, in PriceRecord record)
    {
        long now = _sim!.NowUs;
        if (!record.IsNoOp)
        {
            long period = Seconds(_settings.PricePeriodSeconds);
            CheckFeedPrice(node, record, period);
            long k = ((record.IntervalStartMs * 1000) - EpochUs) / period;
            if (k > _lastIntervalHeld[node] && _publishedAtUs.TryGetValue(k, out long at))
            {
                // Only nodes that were up when the price went out: a restarted node's catch-up is not apply latency.
                _lastIntervalHeld[node] = (int)k;
                if (_startedUs[node] <= at)
                {
                    _figures.ApplyMs.Add((now - at) / 1e3);
                }
            }
        }

        if (_failoverStartUs >= 0 && record.Term > _failoverTerm)
        {
            foreach (ClusterNode? c in _current)
            {
                if (c is not null && c.Log.LastTerm <= _failoverTerm)
                {
                    return;
                }
            }

            _figures.FailoverMs.Add((now - _failoverStartUs) / 1e3);
            _failoverStartUs = -1;
        }
    }

    private void Breach(string kind, string description)
    {
        _figures.ViolationsByKind[kind] = _figures.ViolationsByKind.GetValueOrDefault(kind) + 1;
        Violation(_sim?.NowUs ?? 0, kind + ": " + description);
    }
}
