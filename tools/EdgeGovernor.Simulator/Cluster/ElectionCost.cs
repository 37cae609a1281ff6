namespace EdgeGovernor.Simulator.Cluster;

/// <summary>What one election cost: datagrams sent, per-recipient deliveries, and how long it took.</summary>
/// <param name="Datagrams">Datagrams sent (a multicast counts once).</param>
/// <param name="Deliveries">Datagrams received by live nodes (a multicast counts once per recipient).</param>
/// <param name="DurationUs">Simulated time from the start (or the crash) until every live node follows the new coordinator.</param>
/// <param name="Completed">False when no coordinator was agreed within the time limit.</param>
public readonly record struct ElectionCost(long Datagrams, long Deliveries, long DurationUs, bool Completed);
