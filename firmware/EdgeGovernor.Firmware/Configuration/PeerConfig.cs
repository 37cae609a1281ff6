namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A peer's unicast endpoint known from configuration.</summary>
internal sealed class PeerConfig
{
    /// <summary>The peer's node id.</summary>
    public uint NodeId { get; set; }

    /// <summary>"a.b.c.d:port".</summary>
    public string Endpoint { get; set; } = "";
}
