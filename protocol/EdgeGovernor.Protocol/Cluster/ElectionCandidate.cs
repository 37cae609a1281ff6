namespace EdgeGovernor.Protocol.Cluster;

/// <summary>What one member reports about itself, as the refinement and ranking see it.</summary>
/// <param name="Node">The member.</param>
/// <param name="UtilizationBp">Utilization in basis points (10,000 = 100 %); may exceed 10,000 when the
/// rack draws more than its budget. What it measures is the application's choice (default: power draw over budget).</param>
/// <param name="Capacity">The member's capacity score (larger is better), e.g. free power headroom in watts.</param>
public readonly record struct ElectionCandidate(NodeId Node, ushort UtilizationBp, uint Capacity);
