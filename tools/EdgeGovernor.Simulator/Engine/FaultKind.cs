namespace EdgeGovernor.Simulator.Engine;

/// <summary>What a fault does.</summary>
public enum FaultKind
{
    /// <summary>The nodes stop: no more ticks, arriving datagrams are lost, volatile state is gone.</summary>
    Crash,

    /// <summary>Crashed nodes start again as a new incarnation; their <see cref="SimulatedStore"/> survived.</summary>
    Restart,

    /// <summary>The groups cannot reach each other (nodes in no group form one more group).</summary>
    Partition,

    /// <summary>Datagrams from <see cref="FaultAction.Nodes"/> to <see cref="FaultAction.To"/> are lost; the reverse direction works.</summary>
    OneWay,

    /// <summary>All partitions and one-way blocks end.</summary>
    Heal,
}
