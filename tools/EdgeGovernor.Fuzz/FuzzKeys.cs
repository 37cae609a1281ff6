using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz;

/// <summary>The fixed cluster id and key of the fuzz targets: the harness signs what it sends, so inputs reach the body parsers.</summary>
internal static class FuzzKeys
{
    public const uint ClusterId = 0xF0220001;

    public static ClusterKey Key { get; } = new(1, Enumerable.Range(0, 32).Select(i => (byte)(i * 13 + 7)).ToArray());

    public static NodeOptions Options(uint node) => new()
    {
        Node = new NodeId(node),
        Incarnation = 1,
        ClusterId = ClusterId,
        Key = Key,
    };
}
