using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// Everything a <see cref="ProtocolNode"/> emits: datagrams (header with the next datagram sequence number and the
/// current term, payload written in place by a frame, tag sealed with the current key, then the
/// <see cref="IDatagramSink"/>), deliveries (channel 0 to the <see cref="IDeliveryHandler"/>, others to the registered
/// component), and the earliest timer the channels armed since the node's last tick. The channels' <see cref="IChannelSink"/>.
/// </summary>
internal sealed class NodeOutput : IChannelSink
{
    private readonly NodeOptions _options;
    private readonly IDatagramSink _sink;
    private readonly IDeliveryHandler _handler;
    private readonly KeyRing _keys;
    private readonly ProtocolCounters _counters;
    private readonly IProtocolComponent?[] _byChannel;
    private readonly byte[] _tx = new byte[WireCodec.MaxDatagram];
    private ulong _datagramSequence;

    public NodeOutput(NodeOptions options, IDatagramSink sink, IDeliveryHandler handler, KeyRing keys, ProtocolCounters counters, IProtocolComponent?[] byChannel)
    {
        _options = options;
        _sink = sink;
        _handler = handler;
        _keys = keys;
        _counters = counters;
        _byChannel = byChannel;
    }

    /// <summary>The term stamped into every header.</summary>
    public ulong Term { get; set; }

    /// <summary>The earliest due time reported through <see cref="WakeAt"/> since <see cref="ResetWake"/>.</summary>
    public long WakeUs { get; private set; } = long.MaxValue;

    /// <summary>Where the payload of the next datagram is written.</summary>
    public Span<byte> Payload => _tx.AsSpan(WireCodec.HeaderSize, WireCodec.MaxPayload);

    public void ResetWake() => WakeUs = long.MaxValue;

    /// <inheritdoc/>
    public void WakeAt(long dueUs) => WakeUs = Math.Min(WakeUs, dueUs);

    /// <summary>Seals and sends the datagram whose payload (<paramref name="payloadLength"/> bytes) is already in <see cref="Payload"/>.</summary>
    public void Transmit(Destination destination, MessageType type, int payloadLength)
    {
        var header = new MessageHeader(type, _options.ClusterId, _options.Node, _options.Incarnation, Term, ++_datagramSequence, (ushort)payloadLength, _keys.CurrentKeyId);
        header.Write(_tx);
        Span<byte> datagram = _tx.AsSpan(0, WireCodec.DatagramSize(payloadLength));
        _keys.Seal(datagram);
        _counters.DatagramsSent++;
        _counters.BytesSent += datagram.Length;
        _sink.Send(destination, datagram);
    }

    /// <inheritdoc/>
    public void SendMulticast(MessageType type, in MulticastDataFrame frame, ReadOnlySpan<byte> message)
    {
        frame.TryWrite(Payload, message, out int length);
        Transmit(Destination.Group, type, length);
    }

    /// <inheritdoc/>
    public void SendNack(Destination destination, in NackFrame frame)
    {
        frame.TryWrite(Payload, out int length);
        Transmit(destination, MessageType.Nack, length);
    }

    /// <inheritdoc/>
    public void SendUnicast(NodeId peer, in UnicastDataFrame frame, ReadOnlySpan<byte> message)
    {
        frame.TryWrite(Payload, message, out int length);
        Transmit(Destination.To(peer), MessageType.UnicastData, length);
    }

    /// <inheritdoc/>
    public void SendAck(NodeId peer, in UnicastAckFrame frame)
    {
        frame.TryWrite(Payload, out int length);
        Transmit(Destination.To(peer), MessageType.UnicastAck, length);
    }

    /// <inheritdoc/>
    public void DeliverMulticast(NodeId origin, ulong sequence, byte channel, ReadOnlySpan<byte> message, long nowUs)
    {
        _counters.MulticastDelivered++;
        if (channel == 0)
        {
            _handler.OnMulticast(origin, sequence, message);
        }
        else
        {
            _byChannel[channel]?.OnMulticast(origin, sequence, channel, message, nowUs);
        }
    }

    /// <inheritdoc/>
    public void DeliverUnicast(NodeId peer, byte channel, ReadOnlySpan<byte> message, long nowUs)
    {
        _counters.UnicastDelivered++;
        if (channel == 0)
        {
            _handler.OnUnicast(peer, message);
        }
        else
        {
            _byChannel[channel]?.OnUnicast(peer, channel, message, nowUs);
        }
    }
}
