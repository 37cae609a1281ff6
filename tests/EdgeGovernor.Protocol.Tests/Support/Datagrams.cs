using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Builds datagrams by hand, and a node that records nothing but counters.</summary>
internal static class Datagrams
{
    /// <summary>A valid, empty heartbeat payload (highest 0, stable 0, no reports, no section).</summary>
    public static byte[] EmptyHeartbeat => Frames.Heartbeat();

    public static byte[] Craft(
        ClusterKey key,
        uint sender = 2,
        ulong incarnation = 1,
        ulong sequence = 1,
        MessageType type = MessageType.Heartbeat,
        uint cluster = TestKeys.Cluster,
        byte[]? payload = null,
        ulong term = 0)
    {
        payload ??= EmptyHeartbeat;
        var header = new MessageHeader(type, cluster, new NodeId(sender), incarnation, term, sequence, (ushort)payload.Length, key.KeyId);
        byte[] datagram = new byte[WireCodec.DatagramSize(payload.Length)];
        Assert.Equal(datagram.Length, WireCodec.Encode(datagram, header, payload));
        using var ring = new KeyRing(key);
        ring.Seal(datagram);
        return datagram;
    }

    public static ProtocolNode Receiver(NodeOptions options) => new(options, NullPeer.Instance, NullPeer.Instance, new SplitMix64Random(1), 0);

    internal sealed class NullPeer : IDatagramSink, IDeliveryHandler
    {
        public static readonly NullPeer Instance = new();

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
