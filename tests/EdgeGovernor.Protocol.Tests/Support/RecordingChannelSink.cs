using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Records what the channel classes emit: frames sent, messages delivered, the earliest wake-up asked for.</summary>
internal sealed class RecordingChannelSink : IChannelSink
{
    public List<(MessageType Type, MulticastDataFrame Frame, byte[] Message)> Multicast { get; } = new();

    public List<(Destination To, NackFrame Frame)> Nacks { get; } = new();

    public List<(NodeId To, UnicastDataFrame Frame, byte[] Message)> Unicast { get; } = new();

    public List<(NodeId To, UnicastAckFrame Frame)> Acks { get; } = new();

    public List<(NodeId Origin, ulong Sequence, byte Channel, byte[] Message)> MulticastDelivered { get; } = new();

    public List<(NodeId Peer, byte Channel, byte[] Message)> UnicastDelivered { get; } = new();

    public long WakeUs { get; set; } = long.MaxValue;

    public void SendMulticast(MessageType type, in MulticastDataFrame frame, ReadOnlySpan<byte> message) => Multicast.Add((type, frame, message.ToArray()));

    public void SendNack(Destination destination, in NackFrame frame) => Nacks.Add((destination, frame));

    public void SendUnicast(NodeId peer, in UnicastDataFrame frame, ReadOnlySpan<byte> message) => Unicast.Add((peer, frame, message.ToArray()));

    public void SendAck(NodeId peer, in UnicastAckFrame frame) => Acks.Add((peer, frame));

    public void DeliverMulticast(NodeId origin, ulong sequence, byte channel, ReadOnlySpan<byte> message, long nowUs) =>
        MulticastDelivered.Add((origin, sequence, channel, message.ToArray()));

    public void DeliverUnicast(NodeId peer, byte channel, ReadOnlySpan<byte> message, long nowUs) => UnicastDelivered.Add((peer, channel, message.ToArray()));

    public void WakeAt(long dueUs) => WakeUs = Math.Min(WakeUs, dueUs);
}
