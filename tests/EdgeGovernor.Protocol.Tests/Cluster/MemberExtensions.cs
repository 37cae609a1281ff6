namespace EdgeGovernor.Protocol.Tests.Cluster;

/// <summary>Shorthands on a <see cref="ClusterNetwork.Member"/> for the cluster tests.</summary>
internal static class MemberExtensions
{
    public static ProtocolNode Node(this ClusterNetwork.Member m) => m.Cluster.Node;
}
