namespace EdgeGovernor.Firmware.Observability;

/// <summary>A member of the cluster as one node sees it.</summary>
internal sealed class MemberStatus
{
    /// <summary>Node id.</summary>
    public uint NodeId { get; set; }

    /// <summary>Alive in this node's membership view.</summary>
    public bool Alive { get; set; }

    /// <summary>Voter (in the roster) or observer.</summary>
    public bool Voter { get; set; }

    /// <summary>Unicast endpoint, when known.</summary>
    public string Endpoint { get; set; } = "";
}
