namespace EdgeGovernor.Simulator.Randomness;

/// <summary>The purposes that get their own random stream in a run.</summary>
public enum RandomStream : ulong
{
    /// <summary>Loss, duplication, latency and reordering decisions of the network model.</summary>
    Network = 1,

    /// <summary>The randomness handed to one node incarnation's protocol code (index = node and incarnation).</summary>
    Node = 2,

    /// <summary>The application traffic: publish times and payloads.</summary>
    Workload = 3,

    /// <summary>Random fault schedules (crash times, partitions) generated from the seed.</summary>
    Faults = 4,
}
