using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// The reliable channel to and from one peer. Sending: sequence numbers from 1, a window of unacknowledged messages,
/// cumulative plus selective acks, retransmission after an RTO that doubles per retry (capped) until acknowledged,
/// abandoned after <see cref="NodeOptions.UnicastMaxRetransmits"/>, or the peer failed. Receiving: a reorder window of
/// the same size, delivery in order and exactly once per peer incarnation, an ack for every data frame.
/// </summary>
internal sealed class UnicastPeer
{
    private readonly NodeOptions _options;
    private readonly IChannelSink _sink;
    private readonly ProtocolCounters _counters;
    private readonly MessageRing _send;
    private readonly MessageRing _receive;
    private ulong _nextSequence = 1;
    private ulong _ackedUpTo;
    private long _nextDueUs = long.MaxValue;
    private ulong _receiveIncarnation;
    private ulong _expected;

    public UnicastPeer(NodeId peer, NodeOptions options, IChannelSink sink, ProtocolCounters counters)
    {
        Peer = peer;
        _options = options;
        _sink = sink;
        _counters = counters;
        _send = new MessageRing(options.UnicastWindow);
        _receive = new MessageRing(options.UnicastWindow);
    }

    public NodeId Peer { get; }

    /// <summary>Unacknowledged outbound messages.</summary>
    public int Unacked => _send.Count;

    /// <summary>Every outbound sequence at or below is acknowledged (or abandoned).</summary>
    public ulong AckedUpTo => _ackedUpTo;

    /// <summary>Inbound delivered up to (inclusive), for <see cref="ReceiveIncarnation"/>.</summary>
    public ulong Expected => _expected;

    /// <summary>The peer incarnation the receive state belongs to.</summary>
    public ulong ReceiveIncarnation => _receiveIncarnation;

    /// <summary>Earliest retransmission due (long.MaxValue: none known).</summary>
    public long NextDueUs => _nextDueUs;

    /// <summary>Stores and sends the next message; false when the window is full.</summary>
    public bool TrySend(byte channel, ReadOnlySpan<byte> message, long nowUs)
    {
        if (_nextSequence - 1 - _ackedUpTo >= (ulong)_options.UnicastWindow)
        {
            return false;
        }

        ulong sequence = _nextSequence++;
        _send.Store(sequence, channel, message);
        ref MessageRing.Slot slot = ref _send.SlotOf(sequence);
        slot.RtoUs = _options.EffectiveUnicastRtoUs;
        slot.DueUs = nowUs + slot.RtoUs;
        slot.LastSentUs = nowUs;
        _nextDueUs = Math.Min(_nextDueUs, slot.DueUs);
        _sink.WakeAt(slot.DueUs);
        _counters.UnicastSent++;
        Transmit(sequence);
        return true;
    }

    /// <summary>Takes a data frame from the peer's incarnation <paramref name="incarnation"/>: delivers what is in order,
    /// holds back the rest within the window, acks. <see cref="DropReason.HoldbackFull"/> beyond the window (still acked).</summary>
    public DropReason OnData(ulong incarnation, in UnicastDataFrame frame, ReadOnlySpan<byte> message, long nowUs)
    {
        if (incarnation > _receiveIncarnation)
        {
            _receive.Clear();
            _receiveIncarnation = incarnation;
            _expected = 0;
        }
        else if (incarnation < _receiveIncarnation)
        {
            return DropReason.None;
        }

        if (frame.FirstUnacked - 1 > _expected)
        {
            // Everything below FirstUnacked was acknowledged (by an earlier incarnation of ours) or abandoned.
            ulong target = frame.FirstUnacked - 1;
            if (target - _expected > (ulong)_options.UnicastWindow)
            {
                _receive.Clear(); // nothing held can lie that far back
                _expected = target;
            }

            while (_expected < target)
            {
                ulong s = ++_expected;
                if (_receive.Has(s))
                {
                    Deliver(s, nowUs);
                }
            }
        }

        ulong sequence = frame.Sequence;
        if (sequence <= _expected || _receive.Has(sequence))
        {
            _counters.UnicastDuplicates++;
        }
        else if (sequence - _expected <= (ulong)_options.UnicastWindow)
        {
            _receive.Store(sequence, frame.Channel, message);
        }
        else
        {
            SendAck();
            return DropReason.HoldbackFull;
        }

        while (_receive.Has(_expected + 1))
        {
            Deliver(++_expected, nowUs);
        }

        SendAck();
        return DropReason.None;
    }

    /// <summary>Takes an ack of our messages (already checked to be for our current incarnation): frees what it covers.</summary>
    public void OnAck(in UnicastAckFrame ack)
    {
        ulong last = _nextSequence - 1;
        ulong cumulative = Math.Min(ack.Cumulative, last);
        for (ulong s = _ackedUpTo + 1; s <= cumulative; s++)
        {
            _send.Free(s);
        }

        ulong mask = ack.Mask;
        for (int i = 0; i < 64 && mask != 0; i++, mask >>= 1)
        {
            ulong s = cumulative + 2 + (ulong)i;
            if ((mask & 1) != 0 && s <= last)
            {
                _send.Free(s);
            }
        }

        AdvanceAcked();
    }

    /// <summary>Retransmits what is due (doubling its RTO) or abandons it after the last retry; reports the next due time.</summary>
    public void Tick(long nowUs)
    {
        if (_send.Count == 0)
        {
            _nextDueUs = long.MaxValue;
            return;
        }

        if (_nextDueUs > nowUs)
        {
            _sink.WakeAt(_nextDueUs);
            return;
        }

        long next = long.MaxValue;
        for (ulong s = _ackedUpTo + 1; s < _nextSequence; s++)
        {
            if (!_send.Has(s))
            {
                continue;
            }

            ref MessageRing.Slot slot = ref _send.SlotOf(s);
            if (slot.DueUs <= nowUs)
            {
                if (slot.Attempts >= _options.UnicastMaxRetransmits)
                {
                    _send.Free(s);
                    _counters.UnicastAbandoned++;
                    continue;
                }

                slot.Attempts++;
                slot.RtoUs = Math.Min(slot.RtoUs * 2, _options.UnicastMaxRtoUs);
                slot.DueUs = nowUs + slot.RtoUs;
                slot.LastSentUs = nowUs;
                _counters.UnicastRetransmits++;
                Transmit(s);
            }

            next = Math.Min(next, slot.DueUs);
        }

        AdvanceAcked();
        _nextDueUs = next;
        _sink.WakeAt(next);
    }

    /// <summary>The peer failed: every unacknowledged message is abandoned.</summary>
    public void OnFailed()
    {
        if (_send.Count == 0)
        {
            return;
        }

        _counters.UnicastAbandoned += _send.Count;
        _send.Clear();
        _ackedUpTo = _nextSequence - 1;
        _nextDueUs = long.MaxValue;
    }

    private void Transmit(ulong sequence)
    {
        ref MessageRing.Slot slot = ref _send.SlotOf(sequence);
        _sink.SendUnicast(Peer, new UnicastDataFrame(slot.Channel, sequence, _ackedUpTo + 1), slot.Message);
    }

    private void Deliver(ulong sequence, long nowUs)
    {
        ref MessageRing.Slot slot = ref _receive.SlotOf(sequence);
        _sink.DeliverUnicast(Peer, slot.Channel, slot.Message, nowUs);
        _receive.Free(sequence);
    }

    private void SendAck()
    {
        ulong mask = 0;
        for (int i = 0; i < 64; i++)
        {
            if (_receive.Has(_expected + 2 + (ulong)i))
            {
                mask |= 1UL << i;
            }
        }

        _counters.AcksSent++;
        _sink.SendAck(Peer, new UnicastAckFrame(_receiveIncarnation, _expected, mask));
    }

    private void AdvanceAcked()
    {
        while (_ackedUpTo + 1 < _nextSequence && !_send.Has(_ackedUpTo + 1))
        {
            _ackedUpTo++;
        }
    }
}
