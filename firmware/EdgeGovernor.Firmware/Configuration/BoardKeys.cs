using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>The boards' public keys of a validated configuration, as the roster the cluster layer verifies against.</summary>
internal static class BoardKeys
{
    /// <summary>
    /// Every peer with a <see cref="PeerConfig.PublicKey"/> (and its <see cref="PeerConfig.NextPublicKey"/> during a
    /// rotation), plus this board's own public key. A peer without a key is not in it: what it signs is refused.
    /// </summary>
    public static SigningRoster Roster(FirmwareConfig config)
    {
        var roster = new SigningRoster();
        using (var own = new Ed25519Signer(config.SigningSeed))
        {
            roster.Set(new NodeId(config.NodeId), own.PublicKey);
        }

        foreach (PeerConfig peer in config.Network.Peers)
        {
            if (SigningKeyFile.TryParsePublicKey(peer.PublicKey, out byte[] current))
            {
                SigningKeyFile.TryParsePublicKey(peer.NextPublicKey, out byte[] next);
                roster.Set(new NodeId(peer.NodeId), current, next);
            }
        }

        return roster;
    }
}
