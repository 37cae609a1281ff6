using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// What the simulation needs of one node incarnation: the protocol core's entry points, in
/// simulator time (microseconds on the node's monotonic clock). Adapters in <c>Adapters/</c>
/// wrap the real protocol node in this; tests may wrap fakes.
/// </summary>
public interface ISimulatedNode
{
    /// <summary>When <see cref="Tick"/> should next run (node clock, microseconds).</summary>
    long NextDeadlineUs { get; }

    /// <summary>Messages this node currently retains for repair (for the retention figures).</summary>
    int RetainedMessages { get; }

    /// <summary>A datagram arrived.</summary>
    void Receive(ReadOnlySpan<byte> datagram, long nowUs);

    /// <summary>Runs the node's timers.</summary>
    void Tick(long nowUs);

    /// <summary>Publishes an application message on the node's reliable ordered multicast stream.</summary>
    /// <returns>False when the send window is full (the application retries later).</returns>
    bool TryPublish(ReadOnlySpan<byte> payload, long nowUs);
}

/// <summary>Creates node incarnations and tells the network model what kind a datagram is.</summary>
public interface INodeFactory
{
    /// <summary>The retention a node keeps at rest, once all traffic is stable (usually 0).</summary>
    int RetentionFloor { get; }

    /// <summary>Creates a node incarnation (at start, or at a restart after a crash).</summary>
    ISimulatedNode Create(NodeContext context);

    /// <summary>Classifies a datagram for the loss model and the statistics; must not throw on garbage.</summary>
    PacketClass Classify(ReadOnlySpan<byte> datagram);
}

/// <summary>The simulator side of one node incarnation: where its output goes.</summary>
public interface INodePort
{
    /// <summary>Sends a datagram to every other node (multicast). The span is copied.</summary>
    void SendToGroup(ReadOnlySpan<byte> datagram);

    /// <summary>Sends a datagram to one node, by protocol node id. The span is copied.</summary>
    void SendToNode(uint nodeId, ReadOnlySpan<byte> datagram);

    /// <summary>The node delivered a message of a sender's ordered multicast stream to its application.</summary>
    void Delivered(uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload);

    /// <summary>A protocol event other than a delivery (membership, leadership, ...), for checkers.</summary>
    void Observed(in NodeObservation observation);
}

/// <summary>
/// A protocol event a node reports beyond deliveries. <see cref="Kind"/> is free text that
/// adapters and checkers agree on (e.g. "member-failed", "leader"), with up to three numbers.
/// </summary>
public readonly record struct NodeObservation(string Kind, long A = 0, long B = 0, long C = 0);

/// <summary>
/// Everything a node incarnation is given when it starts: its identity, its random source, its
/// persistent store (which survives crashes) and its port to the simulated network.
/// </summary>
public sealed class NodeContext
{
    internal NodeContext(int index, int life, int nodeCount, ulong seed, SimulatedStore store, INodePort port)
    {
        Index = index;
        Life = life;
        NodeCount = nodeCount;
        Store = store;
        Port = port;
        Random = new SimulatedRandom(Randomness.Xoshiro256StarStar.Derive(seed, Randomness.RandomStream.Node, ((ulong)index << 20) | (uint)life));
    }

    /// <summary>The node's slot, 0 to <see cref="NodeCount"/> - 1.</summary>
    public int Index { get; }

    /// <summary>The protocol node id of slot <paramref name="index"/>: index + 1 (0 is never a node).</summary>
    public static uint NodeIdOf(int index) => (uint)index + 1;

    /// <summary>This node's protocol id.</summary>
    public uint NodeId => NodeIdOf(Index);

    /// <summary>How many times this slot has started (1 for the first start).</summary>
    public int Life { get; }

    /// <summary>The incarnation number of this life: changes at every restart.</summary>
    public ulong Incarnation => (ulong)Life;

    /// <summary>Number of node slots in the simulation.</summary>
    public int NodeCount { get; }

    /// <summary>State that survives crashes (e.g. a persisted vote).</summary>
    public SimulatedStore Store { get; }

    /// <summary>Where the node's output goes.</summary>
    public INodePort Port { get; }

    /// <summary>This incarnation's own seeded random stream.</summary>
    public SimulatedRandom Random { get; }
}

/// <summary>A node's seeded random source (xoshiro256**), handed to the protocol code.</summary>
public sealed class SimulatedRandom(Randomness.Xoshiro256StarStar state)
{
    private Randomness.Xoshiro256StarStar _state = state;

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => _state.NextDouble();

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64() => _state.NextUInt64();
}

/// <summary>
/// A node's durable store in the simulation: writes are durable at once (as after fsync) and
/// survive the node's crashes and restarts.
/// </summary>
public sealed class SimulatedStore
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <summary>Number of writes so far (all lives).</summary>
    public long Writes { get; private set; }

    /// <summary>Reads a value; false if never written.</summary>
    public bool TryRead(string key, out ReadOnlySpan<byte> value)
    {
        if (_values.TryGetValue(key, out byte[]? v))
        {
            value = v;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Writes a value durably.</summary>
    public void Write(string key, ReadOnlySpan<byte> value)
    {
        _values[key] = value.ToArray();
        Writes++;
    }
}
