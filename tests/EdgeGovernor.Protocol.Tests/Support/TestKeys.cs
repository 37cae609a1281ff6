using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Keys and options shared by the protocol tests.</summary>
internal static class TestKeys
{
    public const uint Cluster = 0xED6E0001;

    /// <summary>Boards 1..<see cref="SignedBoards"/> have a signing key (a seed derived from the id) in <see cref="Roster"/>.</summary>
    public const uint SignedBoards = 32;

    private static readonly Ed25519Signer[] Signers = [.. Enumerable.Range(1, (int)SignedBoards).Select(i => new Ed25519Signer(Seed((uint)i)))];

    /// <summary>The public keys of boards 1..<see cref="SignedBoards"/> (built once; read-only afterwards, so tests may
    /// share it in parallel).</summary>
    public static SigningRoster Roster { get; } = BuildRoster();

    /// <summary>The signing key of <paramref name="node"/> (1..<see cref="SignedBoards"/>).</summary>
    public static Ed25519Signer Signer(uint node) => Signers[node - 1];

    /// <summary>The seed of <paramref name="node"/>'s key pair.</summary>
    public static byte[] Seed(uint node)
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        for (int i = 0; i < seed.Length; i++)
        {
            seed[i] = (byte)((node * 131) + (i * 17) + 5);
        }

        return seed;
    }

    /// <summary>Cluster options for <paramref name="node"/>: its own signing key and the shared roster of public keys.</summary>
    public static EdgeGovernor.Protocol.Cluster.ClusterOptions ClusterOptions(uint node, IReadOnlyList<NodeId> roster) =>
        new() { Roster = roster, Signer = Signer(node), Verifier = Roster };

    private static SigningRoster BuildRoster()
    {
        var roster = new SigningRoster();
        for (uint i = 1; i <= SignedBoards; i++)
        {
            roster.Set(new NodeId(i), Signer(i).PublicKey);
        }

        return roster;
    }

    public static ClusterKey Key(byte id) => new(id, Secret(id));

    public static byte[] Secret(byte id)
    {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.Length; i++)
        {
            secret[i] = (byte)((id * 31) + (i * 7) + 1);
        }

        return secret;
    }

    public static NodeOptions Options(uint node, ulong incarnation = 1, byte keyId = 1, ClusterKey? previous = null) => new()
    {
        Node = new NodeId(node),
        Incarnation = incarnation,
        ClusterId = Cluster,
        Key = Key(keyId),
        PreviousKey = previous,
    };
}
