using System.Numerics;
using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Network;

/// <summary>
/// The simulated network between <see cref="NodeCount"/> nodes: per-link profiles (a default plus
/// up to 63 overrides for sets of links), loss at the sender that every receiver sees, and
/// partitions (symmetric groups and one-way blocks). It only decides a datagram's fate per
/// receiver; the <see cref="Engine.Simulation"/> schedules the arrivals.
/// </summary>
public sealed class NetworkModel
{
    /// <summary>The most link overrides a network can have (one bit each in a 64-bit mask).</summary>
    public const int MaxLinkOverrides = 63;

    /// <summary>The most one-way blocks that can be active at once.</summary>
    public const int MaxOneWayBlocks = 64;

    private readonly LinkProfile[] _profiles;
    private readonly ulong[] _overrideFromMask;
    private readonly ulong[] _overrideToMask;
    private readonly int[] _component;
    private readonly ulong[] _blockFromMask;
    private readonly ulong[] _blockToMask;
    private int _oneWayBlocks;
    private bool _anyPartition;

    /// <summary>Creates the network.</summary>
    /// <param name="nodeCount">Number of node slots.</param>
    /// <param name="defaultProfile">The profile of every link no override names.</param>
    /// <param name="overrides">Profiles for sets of links; later ones win.</param>
    /// <param name="senderDataLoss">Probability a data or repair datagram is lost at the sender, for every receiver at once.</param>
    /// <param name="senderControlLoss">The same for control datagrams.</param>
    public NetworkModel(int nodeCount, LinkProfile defaultProfile, IReadOnlyList<LinkOverride>? overrides = null,
        double senderDataLoss = 0, double senderControlLoss = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        if (defaultProfile.Validate() is { } why)
        {
            throw new ArgumentException("default link profile: " + why, nameof(defaultProfile));
        }

        if ((LinkProfile.Probability(senderDataLoss, "sender_data_loss") ?? LinkProfile.Probability(senderControlLoss, "sender_control_loss")) is { } sender)
        {
            throw new ArgumentException(sender);
        }

        overrides ??= [];
        if (overrides.Count > MaxLinkOverrides)
        {
            throw new ArgumentException($"at most {MaxLinkOverrides} link overrides are supported (got {overrides.Count})", nameof(overrides));
        }

        NodeCount = nodeCount;
        DefaultProfile = defaultProfile;
        SenderDataLoss = senderDataLoss;
        SenderControlLoss = senderControlLoss;
        _profiles = new LinkProfile[overrides.Count + 1];
        _profiles[0] = defaultProfile;
        _overrideFromMask = new ulong[nodeCount];
        _overrideToMask = new ulong[nodeCount];
        for (int k = 0; k < overrides.Count; k++)
        {
            LinkOverride o = overrides[k];
            if (o.Profile.Validate() is { } bad)
            {
                throw new ArgumentException($"link override {k}: {bad}", nameof(overrides));
            }

            _profiles[k + 1] = o.Profile;
            ulong bit = 1UL << (k + 1);
            foreach (int from in o.From)
            {
                _overrideFromMask[CheckNode(from)] |= bit;
            }

            foreach (int to in o.To)
            {
                _overrideToMask[CheckNode(to)] |= bit;
            }
        }

        _component = new int[nodeCount];
        _blockFromMask = new ulong[nodeCount];
        _blockToMask = new ulong[nodeCount];
    }

    /// <summary>Number of node slots.</summary>
    public int NodeCount { get; }

    /// <summary>The profile of links that no override names.</summary>
    public LinkProfile DefaultProfile { get; }

    /// <summary>Probability a data datagram is lost before it leaves the sender (all receivers miss it).</summary>
    public double SenderDataLoss { get; }

    /// <summary>Probability a control datagram is lost before it leaves the sender.</summary>
    public double SenderControlLoss { get; }

    /// <summary>True while any partition or one-way block is in force.</summary>
    public bool IsPartitioned => _anyPartition;

    /// <summary>The profile of the directed link <paramref name="from"/> to <paramref name="to"/>.</summary>
    public LinkProfile ProfileFor(int from, int to)
    {
        ulong both = _overrideFromMask[from] & _overrideToMask[to];
        return both == 0 ? _profiles[0] : _profiles[BitOperations.Log2(both)];
    }

    /// <summary>True if a partition or a one-way block stops datagrams from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool IsBlocked(int from, int to) =>
        _anyPartition && (_component[from] != _component[to] || (_blockFromMask[from] & _blockToMask[to]) != 0);

    /// <summary>Draws whether a datagram of this class is lost at the sender (seen by every receiver).</summary>
    public bool LostAtSender(PacketClass packetClass, ref Xoshiro256StarStar random) =>
        random.Chance(packetClass is PacketClass.Data or PacketClass.Repair ? SenderDataLoss : SenderControlLoss);

    /// <summary>
    /// Decides what one receiver gets of one datagram: no copy (lost or blocked), one, or two
    /// (duplicated); writes each copy's delay into <paramref name="delaysUs"/> (length 2 or more).
    /// </summary>
    /// <returns>The number of copies that will arrive.</returns>
    public int Decide(int from, int to, PacketClass packetClass, ref Xoshiro256StarStar random, Span<long> delaysUs)
    {
        if (IsBlocked(from, to))
        {
            return 0;
        }

        LinkProfile link = ProfileFor(from, to);
        if (random.Chance(link.LossFor(packetClass)))
        {
            return 0;
        }

        delaysUs[0] = Delay(link, ref random);
        if (!random.Chance(link.Duplicate))
        {
            return 1;
        }

        delaysUs[1] = Delay(link, ref random);
        return 2;
    }

    /// <summary>
    /// Splits the nodes into groups that cannot reach each other. Nodes in no group form one more
    /// group together. Replaces any earlier symmetric partition (one-way blocks stay).
    /// </summary>
    public void Partition(IReadOnlyList<IReadOnlyList<int>> groups)
    {
        int rest = groups.Count + 1;
        Array.Fill(_component, rest);
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int node in groups[g])
            {
                _component[CheckNode(node)] = g + 1;
            }
        }

        _anyPartition = true;
    }

    /// <summary>Stops datagrams from every node in <paramref name="from"/> to every node in <paramref name="to"/> (not the reverse).</summary>
    public void BlockOneWay(IReadOnlyList<int> from, IReadOnlyList<int> to)
    {
        if (_oneWayBlocks == MaxOneWayBlocks)
        {
            throw new InvalidOperationException($"at most {MaxOneWayBlocks} one-way blocks can be active; heal first");
        }

        ulong bit = 1UL << _oneWayBlocks++;
        foreach (int f in from)
        {
            _blockFromMask[CheckNode(f)] |= bit;
        }

        foreach (int t in to)
        {
            _blockToMask[CheckNode(t)] |= bit;
        }

        _anyPartition = true;
    }

    /// <summary>Removes every partition and one-way block.</summary>
    public void Heal()
    {
        Array.Clear(_component);
        Array.Clear(_blockFromMask);
        Array.Clear(_blockToMask);
        _oneWayBlocks = 0;
        _anyPartition = false;
    }

    private static long Delay(LinkProfile link, ref Xoshiro256StarStar random)
    {
        long d = link.Latency.Sample(ref random);
        if (link.ReorderDelayUs > 0 && random.Chance(link.Reorder))
        {
            d += random.NextInt64(0, link.ReorderDelayUs + 1);
        }

        return d;
    }

    private int CheckNode(int node) =>
        (uint)node < (uint)NodeCount ? node : throw new ArgumentOutOfRangeException(nameof(node), $"node {node} is not in [0, {NodeCount})");
}
