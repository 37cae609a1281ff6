using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>A datagram between two <see cref="ElectionBench"/> nodes: a vote request, a vote response or a coordinator heartbeat (term and up to two alternates).</summary>
internal readonly record struct ElectionBenchMessage(ElectionBenchMessageKind Kind, int From, int To, VoteRequest Request, VoteResponse Response, ulong Term, NodeId Alternate1, NodeId Alternate2);
