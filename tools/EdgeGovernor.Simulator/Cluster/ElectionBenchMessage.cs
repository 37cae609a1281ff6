using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>A datagram between two <see cref="ElectionBench"/> nodes: a vote request, a vote response or a coordinator heartbeat (term and up to two alternates).</summary>
internal readonly record struct ElectionBenchMessage(ElectionBenchMessageKind Kind, int From, int To, VoteRequestFrame Request, VoteResponseFrame Response, ulong Term, NodeId Alternate1, NodeId Alternate2);
