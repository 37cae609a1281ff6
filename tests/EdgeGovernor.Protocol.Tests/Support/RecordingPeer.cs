using EdgeGovernor.Protocol;
using static EdgeGovernor.Protocol.Tests.Support.MulticastScenario;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Records the NACKs a node sends (destination, origin, first missing, mask) and the multicast sequences it delivers.</summary>
internal sealed class RecordingPeer : IDatagramSink, IDeliveryHandler
{
    public List<(NodeId To, ulong Origin, ulong First, ulong Mask)> Nacks { get; } = new();

    public List<ulong> Delivered { get; } = new();

    public void Send(Destination destination, ReadOnlySpan<byte> datagram)
    {
        if (IsNack(datagram.ToArray(), out ulong origin, out ulong first, out ulong mask))
        {
            Nacks.Add((destination.Peer, origin, first, mask));
        }
    }

    public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload) => Delivered.Add(sequence);

    public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
    {
    }
}
