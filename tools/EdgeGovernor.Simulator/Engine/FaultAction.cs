namespace EdgeGovernor.Simulator.Engine;

/// <summary>One fault at one moment.</summary>
/// <param name="AtUs">When (simulated microseconds since the start).</param>
/// <param name="Kind">What happens.</param>
/// <param name="Nodes">The nodes that crash or restart; the senders of a one-way block.</param>
/// <param name="Groups">A partition's groups.</param>
/// <param name="To">The receivers of a one-way block.</param>
public sealed record FaultAction(long AtUs, FaultKind Kind, IReadOnlyList<int> Nodes, IReadOnlyList<IReadOnlyList<int>> Groups, IReadOnlyList<int> To)
{
    /// <summary>A crash of the given nodes.</summary>
    public static FaultAction Crash(long atUs, params int[] nodes) => new(atUs, FaultKind.Crash, nodes, [], []);

    /// <summary>A restart of the given nodes.</summary>
    public static FaultAction Restart(long atUs, params int[] nodes) => new(atUs, FaultKind.Restart, nodes, [], []);

    /// <summary>A symmetric partition.</summary>
    public static FaultAction Partition(long atUs, params int[][] groups) => new(atUs, FaultKind.Partition, [], groups, []);

    /// <summary>A one-way block.</summary>
    public static FaultAction OneWay(long atUs, int[] from, int[] to) => new(atUs, FaultKind.OneWay, from, [], to);

    /// <summary>The end of all partitions.</summary>
    public static FaultAction Heal(long atUs) => new(atUs, FaultKind.Heal, [], [], []);
}
