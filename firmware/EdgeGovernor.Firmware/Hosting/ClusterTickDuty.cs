using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>The cluster node's timers (heartbeats, retransmits, NACKs, failure detection, elections): <see cref="ClusterNode.Tick"/> at <see cref="ClusterNode.NextDeadlineUs"/>.</summary>
internal sealed class ClusterTickDuty(ClusterNode cluster) : IDuty
{
    /// <inheritdoc/>
    public long DueUs(long nowUs) => cluster.NextDeadlineUs;

    /// <inheritdoc/>
    public void Run(long nowUs) => cluster.Tick(nowUs);
}
