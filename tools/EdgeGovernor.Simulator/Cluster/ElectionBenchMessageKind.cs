namespace EdgeGovernor.Simulator.Cluster;

/// <summary>What an <see cref="ElectionBenchMessage"/> carries.</summary>
internal enum ElectionBenchMessageKind : byte
{
    VoteRequest,
    VoteResponse,
    Heartbeat,
}
