namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Where the failure detector sends its direct probes (the cluster node sends a <see cref="Wire.MessageType.Probe"/> datagram).</summary>
internal interface IProbeSender
{
    /// <summary>Send one probe to <paramref name="member"/>; any datagram it sends back refutes the suspicion.</summary>
    void SendProbe(NodeId member, long nowUs);
}
