namespace EdgeGovernor.Simulator.Engine;

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
