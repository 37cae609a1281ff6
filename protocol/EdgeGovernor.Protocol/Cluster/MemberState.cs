namespace EdgeGovernor.Protocol.Cluster;

/// <summary>The state of a member in the local view.</summary>
public enum MemberState : byte
{
    /// <summary>Heard recently enough.</summary>
    Alive = 0,

    /// <summary>Missed heartbeats; being probed directly.</summary>
    Suspected = 1,

    /// <summary>Declared failed: the probes went unanswered.</summary>
    Failed = 2,
}
