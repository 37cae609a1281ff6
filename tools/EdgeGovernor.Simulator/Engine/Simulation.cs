using System.Globalization;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Network;
using EdgeGovernor.Simulator.Randomness;
using EdgeGovernor.Simulator.Workload;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// The deterministic simulator: <see cref="SimulationConfig.NodeCount"/> node incarnations made
/// by an <see cref="INodeFactory"/>, a virtual clock (an agenda ordered by time, then by the order
/// of scheduling), a <see cref="NetworkModel"/>, application traffic and faults. Everything
/// random comes from streams derived from the seed, so one seed gives one run: the
/// <see cref="TraceHash"/> (a hash over every event processed and every datagram's bytes) is the
/// same in every run with the same config.
/// </summary>
/// <remarks>
/// Single-threaded. Nodes see time as <see cref="ClockOriginUs"/> plus simulated time, so a
/// node's clock never reads zero. A node's <c>Tick</c> runs when its <c>NextDeadlineUs</c> is
/// due; after each call into a node the simulator reads the deadline again.
/// </remarks>
public sealed class Simulation
{
    /// <summary>What the node clocks read at the start of the run.</summary>
    public const long ClockOriginUs = 1_000_000;

    private readonly SimulationConfig _config;
    private readonly INodeFactory _factory;
    private readonly SimulationChecker[] _checkers;
    private readonly EventQueue _queue = new();
    private readonly ISimulatedNode?[] _nodes;
    private readonly int[] _life;
    private readonly long[] _scheduledTick;
    private readonly ulong[] _published;
    private readonly bool[] _publisher;
    private readonly SimulatedStore[] _stores;
    private readonly SlotPort[] _ports;
    private readonly List<Action<Simulation>> _actions = [];
    private readonly byte[] _payload;
    private readonly long _publishIntervalUs;
    private readonly TraceHasher _trace = new();
    private Xoshiro256StarStar _workloadRandom;
    private int _sampleAction;
    private bool _started;
    private bool _finished;

    /// <summary>Creates a run; nothing happens until <see cref="Run"/> (or <see cref="Start"/>).</summary>
    /// <param name="config">The run (validated here).</param>
    /// <param name="factory">Makes the nodes.</param>
    /// <param name="checkers">Watch the run and count violations.</param>
    /// <param name="traceLog">If set, one line per event is written here (slow; for debugging).</param>
    public Simulation(SimulationConfig config, INodeFactory factory, IEnumerable<SimulationChecker>? checkers = null, TextWriter? traceLog = null)
    {
        config.Validate();
        _config = config;
        _factory = factory;
        _checkers = checkers?.ToArray() ?? [];
        TraceLog = traceLog;
        int n = config.NodeCount;
        Network = new NetworkModel(n, config.Network.Default, config.Network.Links, config.Network.SenderDataLoss, config.Network.SenderControlLoss);
        _nodes = new ISimulatedNode?[n];
        _life = new int[n];
        _scheduledTick = new long[n];
        _published = new ulong[n];
        _publisher = new bool[n];
        _stores = new SimulatedStore[n];
        _ports = new SlotPort[n];
        for (int i = 0; i < n; i++)
        {
            _stores[i] = new SimulatedStore();
            _ports[i] = new SlotPort(this, i);
            _scheduledTick[i] = long.MaxValue;
        }

        foreach (int p in config.Traffic.Publishers)
        {
            _publisher[p] = true;
        }

        _payload = new byte[config.Traffic.PayloadBytes];
        _publishIntervalUs = Math.Max(1, (long)(1_000_000 / config.Traffic.RatePerSecond));
        Transmitter = new DatagramTransmitter(Network, Stats, _queue, factory, _nodes, _trace, Xoshiro256StarStar.Derive(config.Seed, RandomStream.Network));
        _workloadRandom = Xoshiro256StarStar.Derive(config.Seed, RandomStream.Workload);
    }

    /// <summary>The run's config.</summary>
    public SimulationConfig Config => _config;

    /// <summary>The network (partitions can be changed from scheduled actions).</summary>
    public NetworkModel Network { get; }

    /// <summary>Simulated time now (microseconds since the start of the run).</summary>
    public long NowUs { get; private set; }

    /// <summary>The engine's counts.</summary>
    public SimulationStats Stats { get; } = new();

    /// <summary>Where the nodes' datagrams go (through their <see cref="SlotPort"/>).</summary>
    internal DatagramTransmitter Transmitter { get; }

    /// <summary>The checkers watching this run.</summary>
    public IReadOnlyList<SimulationChecker> Checkers => _checkers;

    /// <summary>A hash of everything that happened so far: equal for equal runs.</summary>
    public ulong TraceHash => _trace.Value;

    /// <summary>Where the readable event log goes (null: none).</summary>
    public TextWriter? TraceLog { get; }

    /// <summary>True if node slot <paramref name="node"/> is running.</summary>
    public bool IsAlive(int node) => _nodes[node] is not null;

    /// <summary>The current life (incarnation count) of a node slot; 0 before its first start.</summary>
    public int LifeOf(int node) => _life[node];

    /// <summary>The node incarnation running in a slot, or null if it is crashed.</summary>
    public ISimulatedNode? NodeAt(int node) => _nodes[node];

    /// <summary>The durable store of a node slot.</summary>
    public SimulatedStore StoreOf(int node) => _stores[node];

    /// <summary>Runs the whole simulation: start, every event up to the configured duration, finish.</summary>
    public SimulationStats Run()
    {
        Start();
        RunUntil(_config.DurationUs);
        Finish();
        return Stats;
    }

    /// <summary>Starts every node and schedules the traffic, the faults and the sampler.</summary>
    public void Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("the simulation has already started");
        }

        _started = true;
        foreach (SimulationChecker c in _checkers)
        {
            c.Attach(this);
        }

        for (int i = 0; i < _nodes.Length; i++)
        {
            StartNode(i);
        }

        foreach (FaultAction fault in _config.Faults)
        {
            Schedule(fault.AtUs, sim => FaultInjector.Apply(sim, fault));
        }

        _actions.Add(static sim => sim.Sample());
        _sampleAction = _actions.Count - 1;
        PushAction(0, _sampleAction);
    }

    /// <summary>Processes every event due at or before <paramref name="untilUs"/>.</summary>
    public void RunUntil(long untilUs)
    {
        if (!_started || _finished)
        {
            throw new InvalidOperationException("RunUntil needs a started, unfinished simulation");
        }

        while (_queue.Count > 0 && _queue.PeekTimeUs <= untilUs)
        {
            ScheduledEvent e = _queue.Pop();
            NowUs = e.TimeUs;
            Stats.EventsProcessed++;
            FanOut? fan = null;
            if (e.Kind == EventKind.FanOut)
            {
                fan = Transmitter.FanOutAt(e.Argument);
                e.Node = fan.ReceiverAtCursor;
                e.Packet = fan.Packet;
            }

            _trace.Mix((ulong)e.TimeUs);
            _trace.Mix((ulong)e.Kind | ((ulong)(uint)e.Node << 8) | ((ulong)(uint)e.Life << 40));
            if (TraceLog is not null)
            {
                TraceLog.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.TimeUs} {e.Kind} node={e.Node} life={e.Life} arg={e.Argument} pkt={e.Packet?.Id ?? 0} {e.Packet?.Class}"));
            }

            switch (e.Kind)
            {
                case EventKind.Deliver:
                    Arrive(e.Node, e.Packet!);
                    Transmitter.Release(e.Packet!);
                    break;
                case EventKind.FanOut:
                    Arrive(e.Node, e.Packet!);
                    Transmitter.NextArrival(fan!);
                    break;
                case EventKind.Tick:
                    RunTick(e);
                    break;
                case EventKind.Publish:
                    RunPublish(e);
                    break;
                case EventKind.Action:
                    _actions[e.Argument](this);
                    if (e.Argument != _sampleAction)
                    {
                        RefreshDeadlines(); // the action may have called into nodes directly (the sampler only reads)
                    }

                    break;
            }
        }

        NowUs = Math.Max(NowUs, untilUs);
    }

    /// <summary>Ends the run: samples retention, lets every checker check the end state, frees the buffers in flight.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        int finalMax = 0;
        long finalTotal = 0;
        foreach (ISimulatedNode? node in _nodes)
        {
            if (node is not null)
            {
                int r = node.RetainedMessages;
                finalMax = Math.Max(finalMax, r);
                finalTotal += r;
            }
        }

        Stats.FinalMaxRetention = finalMax;
        Stats.FinalTotalRetention = finalTotal;
        Stats.MaxRetentionPerNode = Math.Max(Stats.MaxRetentionPerNode, finalMax);
        foreach (SimulationChecker c in _checkers)
        {
            c.OnFinished(NowUs);
        }

        while (_queue.Count > 0)
        {
            ScheduledEvent e = _queue.Pop();
            if (e.Packet is not null)
            {
                Transmitter.Release(e.Packet);
            }
            else if (e.Kind == EventKind.FanOut)
            {
                Transmitter.EndFanOut(Transmitter.FanOutAt(e.Argument));
            }
        }

        Stats.PacketBuffersCreated = Transmitter.PacketBuffersCreated;
    }

    /// <summary>Schedules <paramref name="action"/> at simulated time <paramref name="atUs"/> (a fault, a probe, a custom workload).</summary>
    public void Schedule(long atUs, Action<Simulation> action)
    {
        _actions.Add(action);
        PushAction(atUs, _actions.Count - 1);
    }

    private void PushAction(long atUs, int action) =>
        Push(new ScheduledEvent { TimeUs = Math.Max(atUs, NowUs), Kind = EventKind.Action, Node = -1, Argument = action });

    /// <summary>
    /// Reads a node's <c>NextDeadlineUs</c> again, after code outside the simulator called into it
    /// (done for every node after each scheduled action anyway).
    /// </summary>
    public void Touch(int node) => AfterCall(node, NowUs);

    /// <summary>Crashes a node now: it stops, its volatile state is gone, datagrams to it are lost.</summary>
    public void Crash(int node)
    {
        if (_nodes[node] is null)
        {
            return;
        }

        (_nodes[node] as IDisposable)?.Dispose();
        _nodes[node] = null;
        _scheduledTick[node] = long.MaxValue;
        Stats.Crashes++;
        foreach (SimulationChecker c in _checkers)
        {
            c.OnNodeCrashed(node, _life[node], NowUs);
        }
    }

    /// <summary>Restarts a crashed node now as a new incarnation (its store survived).</summary>
    public void Restart(int node)
    {
        if (_nodes[node] is not null)
        {
            return;
        }

        Stats.Restarts++;
        StartNode(node);
    }

    /// <summary>Publishes one message from <paramref name="node"/> now, as the traffic generator does; false if refused or crashed.</summary>
    public bool TryPublishNow(int node)
    {
        ISimulatedNode? n = _nodes[node];
        if (n is null)
        {
            return false;
        }

        ulong number = _published[node] + 1;
        PayloadFormat.Write(_payload, node, _life[node], number);
        bool accepted = n.TryPublish(_payload, ClockOriginUs + NowUs);
        AfterCall(node, NowUs);
        if (!accepted)
        {
            Stats.PublishRefused++;
            return false;
        }

        _published[node] = number;
        Stats.MessagesPublished++;
        foreach (SimulationChecker c in _checkers)
        {
            c.OnPublished(node, _life[node], number, _payload, NowUs);
        }

        return true;
    }

    private void StartNode(int i)
    {
        int life = ++_life[i];
        _published[i] = 0;
        var context = new NodeContext(i, life, _nodes.Length, _config.Seed, _stores[i], _ports[i]);
        _nodes[i] = _factory.Create(context);
        foreach (SimulationChecker c in _checkers)
        {
            c.OnNodeStarted(i, life, NowUs);
        }

        AfterCall(i, NowUs);
        if (_publisher[i] && NowUs < _config.Traffic.StopUs)
        {
            long first = Math.Max(NowUs, _config.Traffic.StartUs) + NextGap(phase: true);
            Push(new ScheduledEvent { TimeUs = first, Kind = EventKind.Publish, Node = i, Life = life });
        }
    }

    private long NextGap(bool phase)
    {
        if (_config.Traffic.Poisson)
        {
            return Math.Max(1, (long)(-Math.Log(1.0 - _workloadRandom.NextDouble()) * _publishIntervalUs));
        }

        return phase ? _workloadRandom.NextInt64(0, _publishIntervalUs) : _publishIntervalUs;
    }

    private void Sample()
    {
        int max = Stats.MaxRetentionPerNode;
        foreach (ISimulatedNode? node in _nodes)
        {
            if (node is not null && node.RetainedMessages > max)
            {
                max = node.RetainedMessages;
            }
        }

        Stats.MaxRetentionPerNode = max;
        if (NowUs + _config.SamplePeriodUs <= _config.DurationUs)
        {
            PushAction(NowUs + _config.SamplePeriodUs, _sampleAction); // the same action again: no allocation per sample
        }
    }

    private void Arrive(int receiver, PacketBuffer packet)
    {
        ISimulatedNode? node = _nodes[receiver];
        if (node is null)
        {
            Stats.ArrivedAtCrashedNode++;
            return;
        }

        Stats.DatagramsArrived++;
        Stats.BytesArrived += packet.Length;
        node.Receive(packet.Span, ClockOriginUs + NowUs);
        AfterCall(receiver, NowUs);
    }

    private void RunTick(in ScheduledEvent e)
    {
        int i = e.Node;
        ISimulatedNode? node = _nodes[i];
        if (node is null || e.Life != _life[i] || e.TimeUs != _scheduledTick[i])
        {
            return; // stale: the node crashed, restarted, or was rescheduled earlier
        }

        _scheduledTick[i] = long.MaxValue;
        long deadline = ToSimulated(node.NextDeadlineUs);
        if (deadline > NowUs)
        {
            ScheduleTick(i, deadline);
            return;
        }

        node.Tick(ClockOriginUs + NowUs);
        AfterCall(i, NowUs + 1); // a deadline still due after Tick runs one microsecond later, never in a loop
    }

    private void RunPublish(in ScheduledEvent e)
    {
        int i = e.Node;
        if (_nodes[i] is null || e.Life != _life[i] || NowUs >= _config.Traffic.StopUs)
        {
            return;
        }

        long next = TryPublishNow(i) ? NextGap(phase: false) : Math.Min(_publishIntervalUs, 1_000);
        if (NowUs + next < _config.Traffic.StopUs)
        {
            Push(new ScheduledEvent { TimeUs = NowUs + next, Kind = EventKind.Publish, Node = i, Life = e.Life });
        }
    }

    private void RefreshDeadlines()
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            AfterCall(i, NowUs);
        }
    }

    private void AfterCall(int i, long earliestUs)
    {
        ISimulatedNode? node = _nodes[i];
        if (node is null)
        {
            return;
        }

        long deadline = node.NextDeadlineUs;
        if (deadline == long.MaxValue)
        {
            return;
        }

        ScheduleTick(i, Math.Max(ToSimulated(deadline), earliestUs));
    }

    /// <summary>A node-clock deadline in simulated time; any deadline before the origin (e.g. long.MinValue: "now") is 0.</summary>
    private static long ToSimulated(long nodeTimeUs) => nodeTimeUs <= ClockOriginUs ? 0 : nodeTimeUs - ClockOriginUs;

    private void ScheduleTick(int i, long atUs)
    {
        if (atUs < _scheduledTick[i])
        {
            _scheduledTick[i] = atUs;
            Push(new ScheduledEvent { TimeUs = atUs, Kind = EventKind.Tick, Node = i, Life = _life[i] });
        }
    }

    private void Push(ScheduledEvent e) => _queue.Push(e);

    /// <summary>A node reported a delivery (through its <see cref="SlotPort"/>).</summary>
    internal void Delivered(int receiver, uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload)
    {
        Stats.DeliveriesReported++;
        _trace.Mix(((ulong)(uint)receiver << 32) ^ senderNodeId ^ (sequence << 40));
        foreach (SimulationChecker c in _checkers)
        {
            c.OnDelivered(receiver, _life[receiver], senderNodeId, sequence, payload, NowUs);
        }
    }

    /// <summary>A node reported a protocol event (through its <see cref="SlotPort"/>).</summary>
    internal void Observed(int node, in NodeObservation observation)
    {
        _trace.Mix((ulong)observation.A ^ ((ulong)observation.B << 21) ^ ((ulong)observation.C << 42) ^ (ulong)observation.Kind.Length);
        foreach (SimulationChecker c in _checkers)
        {
            c.OnObserved(node, _life[node], observation, NowUs);
        }
    }
}
