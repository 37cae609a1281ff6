using System.Globalization;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// What the cluster node reports to the application: membership and leadership changes (logged, counted) and price
/// records entering the log (the <see cref="PriceSchedule"/> looks again). Application payloads are not used.
/// </summary>
internal sealed class ClusterEvents(PriceSchedule schedule, uint nodeId, Logger log) : IDeliveryHandler, IPriceLogListener
{
    private ClusterNode? _cluster;
    private long _leaderChanges;

    /// <summary>Coordinator changes seen (elections and failovers).</summary>
    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    /// <summary>The node whose events these are (set once, after it was created with these handlers).</summary>
    public void Attach(ClusterNode cluster) => _cluster = cluster;

    /// <inheritdoc/>
    public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
    {
    }

    /// <inheritdoc/>
    public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
    {
    }

    /// <inheritdoc/>
    public void OnMembershipChanged(NodeId member, ulong incarnation, bool alive) =>
        log.Info($"member {member.Value} (incarnation {incarnation}) {(alive ? "alive" : "failed")}");

    /// <inheritdoc/>
    public void OnLeadershipChanged(NodeId leader, ulong term)
    {
        Interlocked.Increment(ref _leaderChanges);
        schedule.LeadershipChanged();
        log.Notice(leader.Value == nodeId
            ? $"coordinator of term {term} (this node)"
            : leader.IsValid ? $"coordinator of term {term} is node {leader.Value}" : $"no coordinator (term {term})");
    }

    /// <inheritdoc/>
    public void OnRecordHeld(in PriceRecord record, long nowUs)
    {
        if (!schedule.RecordHeld(record))
        {
            log.Warning(string.Create(CultureInfo.InvariantCulture,
                $"ignored price index={record.Index} term={record.Term} start_ms={record.IntervalStartMs} end_ms={record.IntervalEndMs}: interval outside the market clock or longer than {PriceSchedule.MaxIntervalMs / 3_600_000} h"));
            return;
        }
        if (_cluster is { IsCoordinator: false } cluster)
        {
            log.Info(string.Create(CultureInfo.InvariantCulture, $"held price index={record.Index} term={record.Term} at_ms={cluster.UnixMs(nowUs)}"));
        }
    }
}
