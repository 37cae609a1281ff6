using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>The Ed25519 key of the simulator's board <c>index</c> (0-based), derived from the index so every run signs
/// the same bytes: the seed holds index + 1 in its first bytes and 0xC7 in its last.</summary>
internal static class SimulatedBoardKey
{
    public static Ed25519Signer For(int index)
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        BitConverter.TryWriteBytes(seed, index + 1);
        seed[31] = 0xC7;
        return new Ed25519Signer(seed);
    }
}
