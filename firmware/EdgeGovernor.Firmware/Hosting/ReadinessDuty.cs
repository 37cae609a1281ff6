using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>Tells systemd <c>READY=1</c> once, on the turn the first heartbeat has been sent, and remembers when.</summary>
internal sealed class ReadinessDuty(ClusterNode cluster, SdNotify notify, Logger log, uint nodeId, long startUs) : IDuty
{
    /// <summary>Microseconds from start to the first heartbeat sent (-1: none yet).</summary>
    public long FirstHeartbeatUs { get; private set; } = -1;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => FirstHeartbeatUs < 0 && cluster.Node.Counters.HeartbeatsSent > 0 ? long.MinValue : long.MaxValue;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        FirstHeartbeatUs = nowUs - startUs;
        notify.Ready($"node {nodeId} serving");
        log.Info($"first heartbeat sent {(nowUs - startUs) / 1000.0:0.0} ms after start");
    }
}
