namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A peer's unicast endpoint known from configuration.</summary>
internal sealed class PeerConfig
{
    /// <summary>The peer's node id.</summary>
    public uint NodeId { get; set; }

    /// <summary>"a.b.c.d:port".</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The peer's Ed25519 public key (64 hex digits, from its <c>edgegov keygen</c>). Without one, nothing the peer
    /// signs (votes, coordinator heartbeats, price records) is accepted: that is how a board is removed.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>During a key rotation, the peer's next public key: signatures by either key are accepted until the peer
    /// runs with the new key and <see cref="PublicKey"/> is replaced by it.</summary>
    public string NextPublicKey { get; set; } = "";
}
