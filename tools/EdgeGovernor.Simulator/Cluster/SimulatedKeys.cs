using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// The boards' Ed25519 key pairs of one simulated cluster: one per node, from a seed derived from the run's seed and the
/// node id (deterministic: Ed25519 signatures are too), and the roster of all their public keys that every node verifies
/// against.
/// </summary>
public sealed class SimulatedKeys
{
    private readonly Ed25519Signer[] _signers;

    /// <summary>Makes the key pairs of nodes 1..<paramref name="nodeCount"/>.</summary>
    public SimulatedKeys(int nodeCount, ulong seed)
    {
        _signers = new Ed25519Signer[nodeCount];
        Roster = new SigningRoster();
        var random = new SplitMix64Random(seed ^ 0x5EED_ED25519UL);
        byte[] keySeed = new byte[Ed25519Signer.SeedSize];
        for (int i = 0; i < nodeCount; i++)
        {
            for (int b = 0; b < keySeed.Length; b += 8)
            {
                BitConverter.TryWriteBytes(keySeed.AsSpan(b), random.NextUInt64());
            }

            _signers[i] = new Ed25519Signer(keySeed);
            Roster.Set(new NodeId(NodeContext.NodeIdOf(i)), _signers[i].PublicKey);
        }
    }

    /// <summary>Every node's public key.</summary>
    public SigningRoster Roster { get; }

    /// <summary>The key pair of the node at <paramref name="index"/>.</summary>
    public Ed25519Signer Signer(int index) => _signers[index];
}
