using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz;

/// <summary>The boards' signing keys of the fuzz targets (nodes 1..8, seeds derived from the id) and their roster.</summary>
internal static class FuzzSigning
{
    private const int Boards = 8;

    private static readonly Ed25519Signer[] Signers =
        [.. Enumerable.Range(1, Boards).Select(i => new Ed25519Signer([.. Enumerable.Range(0, Ed25519Signer.SeedSize).Select(b => (byte)((i * 29) + b))]))];

    /// <summary>The public keys of nodes 1..8.</summary>
    public static SigningRoster Roster { get; } = Build();

    /// <summary>The key pair of <paramref name="node"/> (1..8).</summary>
    public static Ed25519Signer Signer(uint node) => Signers[node - 1];

    private static SigningRoster Build()
    {
        var roster = new SigningRoster();
        for (uint i = 1; i <= Boards; i++)
        {
            roster.Set(new NodeId(i), Signer(i).PublicKey);
        }

        return roster;
    }
}
