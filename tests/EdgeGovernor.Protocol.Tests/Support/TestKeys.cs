using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Keys and options shared by the protocol tests.</summary>
internal static class TestKeys
{
    public const uint Cluster = 0xED6E0001;

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
