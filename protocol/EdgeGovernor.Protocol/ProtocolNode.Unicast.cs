using System.Buffers.Binary;
using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>Reliable unicast (see protocol/README.md, "Reliable peer-to-peer").</summary>
public sealed partial class ProtocolNode
{
    // UnicastData payload: channel u8 | sequence u64 | first unacked u64 | message
    private const int UnicastBodyHeader = 17;

    // UnicastAck payload: acked incarnation u64 | cumulative u64 | selective mask u64 (bit i: cumulative + 2 + i received)
    private const int AckSize = 24;

    private readonly Dictionary<NodeId, UnicastPeer> _peers = new();
    private readonly List<UnicastPeer> _peerList = new();

    /// <summary>Unacknowledged reliable unicast messages to <paramref name="peer"/>.</summary>
    public int UnackedCount(NodeId peer) => _peers.TryGetValue(peer, out UnicastPeer? p) ? p.Unacked : 0;

    /// <summary>Sends an application message (channel 0) reliably to <paramref name="peer"/>.</summary>
    /// <returns>False when the window to that peer (<see cref="NodeOptions.UnicastWindow"/>) is full or the peer table is full.</returns>
    /// <exception cref="ArgumentException">Payload larger than <see cref="MaxUnicastPayload"/>, or the peer is this node or invalid.</exception>
    public bool TrySend(NodeId peer, ReadOnlySpan<byte> payload, long nowUs) => TrySend(peer, 0, payload, nowUs);

    /// <summary>Sends a message of <paramref name="channel"/> reliably to <paramref name="peer"/>: retransmitted with
    /// exponential backoff until acknowledged, the peer is declared failed, or <see cref="NodeOptions.UnicastMaxRetransmits"/> is reached.</summary>
    /// <returns>False when the window to that peer is full or the peer table is full.</returns>
    /// <exception cref="ArgumentException">Payload larger than <see cref="MaxUnicastPayload"/>, or the peer is this node or invalid.</exception>
    public bool TrySend(NodeId peer, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payload.Length > MaxUnicastPayload)
        {
            throw new ArgumentException($"A unicast payload is at most {MaxUnicastPayload} bytes (got {payload.Length}).", nameof(payload));
        }

        if (!peer.IsValid || peer == _options.Node)
        {
            throw new ArgumentException($"Cannot send to {peer}: not a valid peer.", nameof(peer));
        }

        UnicastPeer? p = PeerFor(peer);
        if (p is null || p.NextSequence - 1 - p.AckedUpTo >= (ulong)_options.UnicastWindow)
        {
            return false;
        }

        ulong sequence = p.NextSequence++;
        p.Send.Store(sequence, channel, payload);
        ref MessageRing.Slot slot = ref p.Send.SlotOf(sequence);
        slot.RtoUs = _options.EffectiveUnicastRtoUs;
        slot.DueUs = nowUs + slot.RtoUs;
        slot.LastSentUs = nowUs;
        p.NextDueUs = Math.Min(p.NextDueUs, slot.DueUs);
        Hint(slot.DueUs);
        Counters.UnicastSent++;
        TransmitUnicast(p, sequence);
        return true;
    }

    private UnicastPeer? PeerFor(NodeId peer)
    {
        if (_peers.TryGetValue(peer, out UnicastPeer? p))
        {
            return p;
        }

        if (_peers.Count >= _options.MaxSenders)
        {
            return null;
        }

        p = new UnicastPeer(peer, _options.UnicastWindow);
        _peers.Add(peer, p);
        _peerList.Add(p);
        return p;
    }

    private void TransmitUnicast(UnicastPeer p, ulong sequence)
    {
        ref MessageRing.Slot slot = ref p.Send.SlotOf(sequence);
        Span<byte> b = PayloadBuffer;
        b[0] = slot.Channel;
        BinaryPrimitives.WriteUInt64BigEndian(b[1..], sequence);
        BinaryPrimitives.WriteUInt64BigEndian(b[9..], p.AckedUpTo + 1);
        slot.Buffer.AsSpan(0, slot.Length).CopyTo(b[UnicastBodyHeader..]);
        Transmit(Destination.To(p.Peer), MessageType.UnicastData, UnicastBodyHeader + slot.Length);
    }

    private DropReason HandleUnicastData(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.Length < UnicastBodyHeader)
        {
            return DropReason.MalformedPayload;
        }

        byte channel = payload[0];
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(payload[1..]);
        ulong firstUnacked = BinaryPrimitives.ReadUInt64BigEndian(payload[9..]);
        if (sequence == 0 || firstUnacked == 0 || firstUnacked > sequence)
        {
            return DropReason.MalformedPayload;
        }

        UnicastPeer? p = PeerFor(header.Sender);
        if (p is null)
        {
            return DropReason.TooManySenders;
        }

        if (header.Incarnation > p.ReceiveIncarnation)
        {
            p.Receive.Clear();
            p.ReceiveIncarnation = header.Incarnation;
            p.Expected = 0;
        }
        else if (header.Incarnation < p.ReceiveIncarnation)
        {
            return DropReason.None;
        }

        if (firstUnacked - 1 > p.Expected)
        {
            // Everything below firstUnacked was acknowledged (by an earlier incarnation of ours) or abandoned.
            ulong target = firstUnacked - 1;
            if (target - p.Expected > (ulong)_options.UnicastWindow)
            {
                p.Receive.Clear(); // nothing held can lie that far back
                p.Expected = target;
            }

            while (p.Expected < target)
            {
                ulong s = ++p.Expected;
                if (p.Receive.Has(s))
                {
                    DeliverUnicast(p, s, nowUs);
                }
            }
        }

        ulong window = (ulong)_options.UnicastWindow;
        if (sequence <= p.Expected || p.Receive.Has(sequence))
        {
            Counters.UnicastDuplicates++;
        }
        else if (sequence - p.Expected <= window)
        {
            p.Receive.Store(sequence, channel, payload[UnicastBodyHeader..]);
        }
        else
        {
            SendAck(p);
            return DropReason.HoldbackFull;
        }

        while (p.Receive.Has(p.Expected + 1))
        {
            DeliverUnicast(p, ++p.Expected, nowUs);
        }

        SendAck(p);
        return DropReason.None;
    }

    private void DeliverUnicast(UnicastPeer p, ulong sequence, long nowUs)
    {
        ref MessageRing.Slot slot = ref p.Receive.SlotOf(sequence);
        byte channel = slot.Channel;
        ReadOnlySpan<byte> message = slot.Buffer.AsSpan(0, slot.Length);
        Counters.UnicastDelivered++;
        if (channel == 0)
        {
            _handler.OnUnicast(p.Peer, message);
        }
        else
        {
            _byChannel[channel]?.OnUnicast(p.Peer, channel, message, nowUs);
        }

        p.Receive.Free(sequence);
    }

    private void SendAck(UnicastPeer p)
    {
        ulong mask = 0;
        for (int i = 0; i < 64; i++)
        {
            if (p.Receive.Has(p.Expected + 2 + (ulong)i))
            {
                mask |= 1UL << i;
            }
        }

        Span<byte> b = PayloadBuffer;
        BinaryPrimitives.WriteUInt64BigEndian(b, p.ReceiveIncarnation);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], p.Expected);
        BinaryPrimitives.WriteUInt64BigEndian(b[16..], mask);
        Counters.AcksSent++;
        Transmit(Destination.To(p.Peer), MessageType.UnicastAck, AckSize);
    }

    private DropReason HandleUnicastAck(in MessageHeader header, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != AckSize)
        {
            return DropReason.MalformedPayload;
        }

        ulong incarnation = BinaryPrimitives.ReadUInt64BigEndian(payload);
        ulong cumulative = BinaryPrimitives.ReadUInt64BigEndian(payload[8..]);
        ulong mask = BinaryPrimitives.ReadUInt64BigEndian(payload[16..]);
        if (incarnation != _options.Incarnation || !_peers.TryGetValue(header.Sender, out UnicastPeer? p))
        {
            return DropReason.None;
        }

        ulong last = p.NextSequence - 1;
        cumulative = Math.Min(cumulative, last);
        for (ulong s = p.AckedUpTo + 1; s <= cumulative; s++)
        {
            p.Send.Free(s);
        }

        for (int i = 0; i < 64 && mask != 0; i++, mask >>= 1)
        {
            ulong s = cumulative + 2 + (ulong)i;
            if ((mask & 1) != 0 && s <= last)
            {
                p.Send.Free(s);
            }
        }

        AdvanceAcked(p);
        return DropReason.None;
    }

    private static void AdvanceAcked(UnicastPeer p)
    {
        while (p.AckedUpTo + 1 < p.NextSequence && !p.Send.Has(p.AckedUpTo + 1))
        {
            p.AckedUpTo++;
        }
    }

    private void TickUnicast(long nowUs)
    {
        foreach (UnicastPeer p in _peerList)
        {
            if (p.Send.Count == 0)
            {
                p.NextDueUs = long.MaxValue;
                continue;
            }

            if (p.NextDueUs > nowUs)
            {
                Hint(p.NextDueUs);
                continue;
            }

            long next = long.MaxValue;
            for (ulong s = p.AckedUpTo + 1; s < p.NextSequence; s++)
            {
                if (!p.Send.Has(s))
                {
                    continue;
                }

                ref MessageRing.Slot slot = ref p.Send.SlotOf(s);
                if (slot.DueUs <= nowUs)
                {
                    if (slot.Attempts >= _options.UnicastMaxRetransmits)
                    {
                        p.Send.Free(s);
                        Counters.UnicastAbandoned++;
                        continue;
                    }

                    slot.Attempts++;
                    slot.RtoUs = Math.Min(slot.RtoUs * 2, _options.UnicastMaxRtoUs);
                    slot.DueUs = nowUs + slot.RtoUs;
                    slot.LastSentUs = nowUs;
                    Counters.UnicastRetransmits++;
                    TransmitUnicast(p, s);
                }

                next = Math.Min(next, slot.DueUs);
            }

            AdvanceAcked(p);
            p.NextDueUs = next;
            Hint(next);
        }
    }

    private void OnUnicastMemberFailed(NodeId member)
    {
        if (!_peers.TryGetValue(member, out UnicastPeer? p) || p.Send.Count == 0)
        {
            return;
        }

        Counters.UnicastAbandoned += p.Send.Count;
        p.Send.Clear();
        p.AckedUpTo = p.NextSequence - 1;
        p.NextDueUs = long.MaxValue;
    }
}
