using System.Buffers.Binary;
using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>Reliable ordered multicast (see protocol/README.md, "Reliable ordered multicast").</summary>
public sealed partial class ProtocolNode
{
    // MulticastData / Repair payload: origin u32 | origin incarnation u64 | sequence u64 | stable u64 | channel u8 | message
    private const int MulticastBodyHeader = 29;

    // Nack payload: origin u32 | origin incarnation u64 | first missing u64 | mask u64 (bit i: first + i missing)
    private const int NackSize = 28;

    // Heartbeat payload: highest u64 | stable u64 | count u16 | count x (origin u32, incarnation u64, delivered u64) | section length u16 | section
    private const int HeartbeatFixedHead = 18;
    private const int HeartbeatFixed = HeartbeatFixedHead + 2;
    private const int ReportEntrySize = 20;

    private readonly MulticastStream _local;
    private readonly Dictionary<NodeId, MulticastStream> _streams = new();
    private readonly List<MulticastStream> _streamList = new();
    private int _reportCursor;

    /// <summary>The highest sequence number this node has published (its own stream, this incarnation).</summary>
    public ulong PublishedSequence => _local.Delivered;

    /// <summary>Own published messages not yet stable (the multicast send window in use).</summary>
    public int UnstableCount => (int)(_local.Delivered - _local.Floor);

    /// <summary>Publishes an application message (channel 0) on this node's reliable ordered multicast stream.</summary>
    /// <returns>False when the send window (<see cref="NodeOptions.MulticastSendWindow"/>) is full; retry after stability advances.</returns>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxMulticastPayload"/>.</exception>
    public bool TryPublish(ReadOnlySpan<byte> payload, long nowUs) => TryPublish(0, payload, nowUs);

    /// <summary>Publishes a message of <paramref name="channel"/> on this node's reliable ordered multicast stream.
    /// The node delivers its own messages to itself first (in order, like everyone else's).</summary>
    /// <returns>False when the send window is full.</returns>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxMulticastPayload"/>.</exception>
    public bool TryPublish(byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payload.Length > MaxMulticastPayload)
        {
            throw new ArgumentException($"A multicast payload is at most {MaxMulticastPayload} bytes (got {payload.Length}).", nameof(payload));
        }

        MulticastStream local = _local;
        if (local.Delivered - local.Floor >= (ulong)_options.MulticastSendWindow)
        {
            return false;
        }

        ulong sequence = local.Delivered + 1;
        local.Ring.Store(sequence, channel, payload);
        local.Delivered = local.Highest = sequence;
        Counters.Retained(1);
        Counters.MulticastPublished++;
        SendMulticast(MessageType.MulticastData, local, sequence);
        DeliverMulticast(local.Origin, sequence, channel, local.Ring.Payload(sequence), nowUs);
        return true;
    }

    private void SendMulticast(MessageType type, MulticastStream stream, ulong sequence)
    {
        ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
        Span<byte> p = PayloadBuffer;
        BinaryPrimitives.WriteUInt32BigEndian(p, stream.Origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(p[4..], stream.Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(p[12..], sequence);
        BinaryPrimitives.WriteUInt64BigEndian(p[20..], stream.AnnouncedStable);
        p[28] = slot.Channel;
        slot.Buffer.AsSpan(0, slot.Length).CopyTo(p[MulticastBodyHeader..]);
        Transmit(Destination.Group, type, MulticastBodyHeader + slot.Length);
    }

    private void DeliverMulticast(NodeId origin, ulong sequence, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        Counters.MulticastDelivered++;
        if (channel == 0)
        {
            _handler.OnMulticast(origin, sequence, payload);
        }
        else
        {
            _byChannel[channel]?.OnMulticast(origin, sequence, channel, payload, nowUs);
        }
    }

    private DropReason HandleMulticastData(in MessageHeader header, ReadOnlySpan<byte> payload, bool isRepair, long nowUs)
    {
        if (payload.Length < MulticastBodyHeader)
        {
            return DropReason.MalformedPayload;
        }

        var origin = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(payload));
        ulong incarnation = BinaryPrimitives.ReadUInt64BigEndian(payload[4..]);
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(payload[12..]);
        ulong stable = BinaryPrimitives.ReadUInt64BigEndian(payload[20..]);
        byte channel = payload[28];
        if (!origin.IsValid || incarnation == 0 || sequence == 0 || (!isRepair && stable >= sequence) || (!isRepair && (origin != header.Sender || incarnation != header.Incarnation)))
        {
            return DropReason.MalformedPayload;
        }

        if (origin == _options.Node)
        {
            return DropReason.None; // a holder repaired our own stream for someone else
        }

        MulticastStream? stream = StreamFor(origin, incarnation, stable);
        if (stream is null)
        {
            Counters.MulticastDuplicates++;
            return DropReason.None;
        }

        if (isRepair && stream.Ring.Has(sequence))
        {
            ref MessageRing.Slot held = ref stream.Ring.SlotOf(sequence);
            held.LastSentUs = nowUs;
            if (held.DueUs != MessageRing.NotArmed)
            {
                held.DueUs = MessageRing.NotArmed;
                stream.PendingRepairs--;
                Counters.RepairsSuppressed++;
            }
        }

        ApplyAnnouncedStable(stream, stable, nowUs);
        if (sequence > stream.Highest)
        {
            stream.Highest = sequence;
        }

        if (sequence <= stream.Delivered || stream.Ring.Has(sequence))
        {
            Counters.MulticastDuplicates++;
            return DropReason.None;
        }

        ulong capacity = (ulong)stream.Ring.Capacity;
        if (sequence - stream.Floor > capacity)
        {
            // Make room by evicting the oldest retained (delivered, not yet stable) messages.
            ReleaseUpTo(stream, Math.Min(sequence - capacity, stream.Delivered), evicted: true);
        }

        DropReason result = DropReason.None;
        if (sequence - stream.Floor > capacity)
        {
            result = DropReason.HoldbackFull;
        }
        else
        {
            stream.Ring.Store(sequence, channel, payload[MulticastBodyHeader..]);
            Counters.Retained(1);
            DeliverInOrder(stream, nowUs);
        }

        ArmNack(stream, nowUs);
        return result;
    }

    private void DeliverInOrder(MulticastStream stream, long nowUs)
    {
        bool progress = false;
        while (stream.Ring.Has(stream.Delivered + 1))
        {
            ulong sequence = ++stream.Delivered;
            progress = true;
            ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
            DeliverMulticast(stream.Origin, sequence, slot.Channel, slot.Buffer.AsSpan(0, slot.Length), nowUs);
        }

        if (progress)
        {
            stream.NackRounds = 0;
        }
    }

    /// <summary>The origin's stable point: everything at or below it was delivered by every member the origin counts.
    /// If we are behind it, the origin did not count us (we joined late): skip to it.</summary>
    private void ApplyAnnouncedStable(MulticastStream stream, ulong stable, long nowUs)
    {
        if (stable > stream.AnnouncedStable)
        {
            stream.AnnouncedStable = stable;
        }

        if (stable <= stream.Delivered)
        {
            return;
        }

        if (stable - stream.Delivered >= (ulong)stream.Ring.Capacity)
        {
            Counters.MessagesSkipped += (long)(stable - stream.Delivered) - stream.Ring.Count;
            Counters.Retained(-stream.Ring.Count);
            stream.Ring.Clear();
            stream.PendingRepairs = 0;
            stream.Delivered = stream.Floor = stable;
        }
        else
        {
            while (stream.Delivered < stable)
            {
                ulong sequence = ++stream.Delivered;
                if (stream.Ring.Has(sequence))
                {
                    ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
                    DeliverMulticast(stream.Origin, sequence, slot.Channel, slot.Buffer.AsSpan(0, slot.Length), nowUs);
                }
                else
                {
                    Counters.MessagesSkipped++;
                }
            }
        }

        stream.Highest = Math.Max(stream.Highest, stream.Delivered);
        DeliverInOrder(stream, nowUs);
    }

    private MulticastStream? StreamFor(NodeId origin, ulong incarnation, ulong start)
    {
        if (_streams.TryGetValue(origin, out MulticastStream? stream))
        {
            if (stream.Incarnation == incarnation)
            {
                return stream;
            }

            if (stream.Incarnation > incarnation)
            {
                return null;
            }

            Counters.Retained(-stream.Reset(incarnation, start));
            stream.OriginFailed = !_membership.IsAlive(origin);
            return stream;
        }

        if (_streams.Count >= _options.MaxSenders)
        {
            return null;
        }

        stream = new MulticastStream(origin, incarnation, isLocal: false, _options.MulticastRetention);
        stream.Reset(incarnation, start);
        _streams.Add(origin, stream);
        _streamList.Add(stream);
        return stream;
    }

    private void OnStreamAnnouncement(NodeId origin, ulong incarnation, ulong highest, ulong stable, long nowUs)
    {
        if (highest == stable && !_streams.ContainsKey(origin))
        {
            return; // nothing we could still need from a stream we do not track (most members never publish)
        }

        MulticastStream? stream = StreamFor(origin, incarnation, stable);
        if (stream is null)
        {
            return;
        }

        ApplyAnnouncedStable(stream, stable, nowUs);
        if (highest > stream.Highest)
        {
            stream.Highest = highest;
        }

        ArmNack(stream, nowUs);
    }

    private void ArmNack(MulticastStream stream, long nowUs)
    {
        if (!stream.HasGap)
        {
            stream.NackDueUs = MessageRing.NotArmed;
            return;
        }

        if (stream.NackDueUs == MessageRing.NotArmed)
        {
            stream.NackDueUs = nowUs + BackoffUs(_options.NackBackoffFactor);
            Hint(stream.NackDueUs);
        }
    }

    private long RepairWaitUs => 2 * _options.RttEstimateUs;

    private void FireNack(MulticastStream stream, long nowUs)
    {
        if (!stream.HasGap)
        {
            stream.NackDueUs = MessageRing.NotArmed;
            return;
        }

        bool originAlive = !stream.OriginFailed && _membership.IsAlive(stream.Origin);
        if (!originAlive && stream.NackRounds >= _options.MaxNackRoundsAfterFailure)
        {
            AbandonFirstGap(stream, nowUs);
            stream.NackRounds = 0;
            if (!stream.HasGap)
            {
                stream.NackDueUs = MessageRing.NotArmed;
                return;
            }
        }

        ulong first = stream.Delivered + 1;
        ulong mask = 0;
        for (int i = 0; i < 64; i++)
        {
            ulong s = first + (ulong)i;
            if (s > stream.Highest)
            {
                break;
            }

            if (!stream.Ring.Has(s))
            {
                mask |= 1UL << i;
            }
        }

        Span<byte> p = PayloadBuffer;
        BinaryPrimitives.WriteUInt32BigEndian(p, stream.Origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(p[4..], stream.Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(p[12..], first);
        BinaryPrimitives.WriteUInt64BigEndian(p[20..], mask);
        Counters.NacksSent++;
        stream.NackRounds++;
        Transmit(originAlive ? Destination.To(stream.Origin) : Destination.Group, MessageType.Nack, NackSize);
        // Wait for the repair, longer after each fruitless round (x1, x2, x4, x8), then back off again.
        long wait = RepairWaitUs << Math.Min(stream.NackRounds - 1, 3);
        stream.NackDueUs = nowUs + wait + BackoffUs(_options.NackBackoffFactor);
        Hint(stream.NackDueUs);
    }

    private void AbandonFirstGap(MulticastStream stream, long nowUs)
    {
        if (stream.Ring.Count == 0 || stream.Highest - stream.Delivered > (ulong)stream.Ring.Capacity)
        {
            ulong held = 0;
            for (ulong s = stream.Delivered + 1; s <= stream.Delivered + (ulong)stream.Ring.Capacity && s <= stream.Highest; s++)
            {
                if (stream.Ring.Has(s))
                {
                    held = s;
                    break;
                }
            }

            ulong target = held != 0 ? held - 1 : stream.Highest;
            Counters.MessagesAbandoned += (long)(target - stream.Delivered);
            stream.Delivered = target;
            DeliverInOrder(stream, nowUs);
            return;
        }

        while (stream.Delivered < stream.Highest && !stream.Ring.Has(stream.Delivered + 1))
        {
            stream.Delivered++;
            Counters.MessagesAbandoned++;
        }

        DeliverInOrder(stream, nowUs);
    }

    private DropReason HandleNack(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.Length != NackSize)
        {
            return DropReason.MalformedPayload;
        }

        var origin = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(payload));
        ulong incarnation = BinaryPrimitives.ReadUInt64BigEndian(payload[4..]);
        ulong first = BinaryPrimitives.ReadUInt64BigEndian(payload[12..]);
        ulong mask = BinaryPrimitives.ReadUInt64BigEndian(payload[20..]);
        if (first == 0 || first > ulong.MaxValue - 64)
        {
            return DropReason.MalformedPayload;
        }

        Counters.NacksReceived++;
        MulticastStream? stream = origin == _options.Node ? _local : (_streams.TryGetValue(origin, out MulticastStream? s) ? s : null);
        if (stream is null || stream.Incarnation != incarnation)
        {
            return DropReason.None;
        }

        if (!stream.IsLocal && stream.NackDueUs != MessageRing.NotArmed)
        {
            // Overheard NACK (sent to the group): if it asks for our first missing message, hold ours back.
            ulong mine = stream.Delivered + 1;
            if (mine >= first && mine - first < 64 && (mask & (1UL << (int)(mine - first))) != 0)
            {
                stream.NackDueUs = nowUs + RepairWaitUs + BackoffUs(_options.NackBackoffFactor);
                Counters.NacksSuppressed++;
                Hint(stream.NackDueUs);
            }
        }

        long holdoff = _options.RttEstimateUs;
        for (int i = 0; i < 64 && mask != 0; i++, mask >>= 1)
        {
            ulong sequence = first + (ulong)i;
            if ((mask & 1) == 0 || sequence <= stream.Floor || sequence > stream.Delivered || !stream.Ring.Has(sequence))
            {
                continue;
            }

            ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
            if (nowUs - slot.LastSentUs < holdoff)
            {
                Counters.RepairsSuppressed++; // repaired moments ago: this NACK crossed the repair
                continue;
            }

            if (stream.IsLocal)
            {
                slot.LastSentUs = nowUs;
                Counters.RepairsSent++;
                SendMulticast(MessageType.Repair, stream, sequence);
            }
            else if (slot.DueUs == MessageRing.NotArmed)
            {
                slot.DueUs = nowUs + BackoffUs(_options.NackBackoffFactor);
                stream.PendingRepairs++;
                Hint(slot.DueUs);
            }
        }

        return DropReason.None;
    }

    private bool AnyStreamHasGap()
    {
        foreach (MulticastStream stream in _streamList)
        {
            if (stream.HasGap)
            {
                return true;
            }
        }

        return false;
    }

    private void TickMulticast(long nowUs, bool gapCheck)
    {
        foreach (MulticastStream stream in _streamList)
        {
            if (gapCheck)
            {
                ArmNack(stream, nowUs);
            }

            if (stream.NackDueUs != MessageRing.NotArmed)
            {
                if (stream.NackDueUs <= nowUs)
                {
                    FireNack(stream, nowUs);
                }

                if (stream.NackDueUs != MessageRing.NotArmed)
                {
                    Hint(stream.NackDueUs);
                }
            }

            if (stream.PendingRepairs > 0)
            {
                RunRepairs(stream, nowUs);
            }
        }
    }

    private void RunRepairs(MulticastStream stream, long nowUs)
    {
        int pending = 0;
        ulong span = Math.Min(stream.Delivered - stream.Floor, (ulong)stream.Ring.Capacity);
        for (ulong sequence = stream.Floor + 1; sequence <= stream.Floor + span; sequence++)
        {
            if (!stream.Ring.Has(sequence))
            {
                continue;
            }

            ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
            if (slot.DueUs == MessageRing.NotArmed)
            {
                continue;
            }

            if (slot.DueUs <= nowUs)
            {
                slot.DueUs = MessageRing.NotArmed;
                slot.LastSentUs = nowUs;
                Counters.RepairsSent++;
                SendMulticast(MessageType.Repair, stream, sequence);
            }
            else
            {
                pending++;
                Hint(slot.DueUs);
            }
        }

        stream.PendingRepairs = pending;
    }

    private int WriteReports(Span<byte> destination, int maxEntries)
    {
        int count = Math.Min(maxEntries, _streamList.Count);
        for (int i = 0; i < count; i++)
        {
            _reportCursor = (_reportCursor + 1) % _streamList.Count;
            MulticastStream s = _streamList[_reportCursor];
            Span<byte> e = destination.Slice(i * ReportEntrySize, ReportEntrySize);
            BinaryPrimitives.WriteUInt32BigEndian(e, s.Origin.Value);
            BinaryPrimitives.WriteUInt64BigEndian(e[4..], s.Incarnation);
            BinaryPrimitives.WriteUInt64BigEndian(e[12..], s.Delivered);
        }

        return count;
    }

    /// <summary>Stores members' delivered-up-to reports (for stability). A report beyond what we know of a stream also
    /// reveals messages we missed: after the origin failed, that is how a receiver learns of a lost tail.</summary>
    private void ReadReports(NodeId reporter, ReadOnlySpan<byte> entries, long nowUs)
    {
        for (int offset = 0; offset + ReportEntrySize <= entries.Length; offset += ReportEntrySize)
        {
            ReadOnlySpan<byte> e = entries.Slice(offset, ReportEntrySize);
            var origin = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(e));
            ulong incarnation = BinaryPrimitives.ReadUInt64BigEndian(e[4..]);
            ulong delivered = BinaryPrimitives.ReadUInt64BigEndian(e[12..]);
            MulticastStream? stream = origin == _options.Node ? _local : (_streams.TryGetValue(origin, out MulticastStream? s) ? s : null);
            if (stream is null || stream.Incarnation != incarnation)
            {
                continue;
            }

            if (!stream.IsLocal && delivered > stream.Highest)
            {
                stream.Highest = delivered;
                ArmNack(stream, nowUs);
            }

            if (!stream.Reports.TryGetValue(reporter, out ulong known) || delivered > known)
            {
                stream.Reports[reporter] = delivered;
            }
        }
    }

    /// <summary>Frees retention up to the stable point: the lowest delivered-up-to over every live member.
    /// Nothing is freed during the first failure timeout after start, so that every member present from the
    /// start is known (and counted) before anything is freed.</summary>
    private void UpdateStability(long nowUs)
    {
        if (nowUs - _startUs < _options.FailureTimeoutUs)
        {
            return;
        }

        ulong localStable = StablePoint(_local);
        _local.AnnouncedStable = Math.Max(_local.AnnouncedStable, localStable);
        FreeUpTo(_local, _local.AnnouncedStable);
        foreach (MulticastStream stream in _streamList)
        {
            ulong stable = Math.Max(StablePoint(stream), Math.Min(stream.AnnouncedStable, stream.Delivered));
            FreeUpTo(stream, stable);
        }
    }

    private ulong StablePoint(MulticastStream stream)
    {
        ulong min = stream.Delivered;
        int live = _membership.LiveCount;
        for (int i = 0; i < live; i++)
        {
            NodeId member = _membership.LiveMemberAt(i);
            if (member == _options.Node || member == stream.Origin)
            {
                continue;
            }

            if (!stream.Reports.TryGetValue(member, out ulong delivered))
            {
                return stream.Floor;
            }

            min = Math.Min(min, delivered);
        }

        return min;
    }

    private void FreeUpTo(MulticastStream stream, ulong stable) => ReleaseUpTo(stream, Math.Min(stable, stream.Delivered), evicted: false);

    /// <summary>Frees every retained message up to <paramref name="floor"/> (at most <see cref="MulticastStream.Delivered"/>)
    /// and moves the floor there. Every stored message lies in (Floor, Floor + capacity], so at most one ring's worth of
    /// slots is looked at, however far an announcement or an abandoned gap moved the stream (an authenticated peer
    /// announcing sequence 2^40 costs no more than one announcing 2^8).</summary>
    private void ReleaseUpTo(MulticastStream stream, ulong floor, bool evicted)
    {
        if (floor <= stream.Floor)
        {
            return;
        }

        ulong span = Math.Min(floor - stream.Floor, (ulong)stream.Ring.Capacity);
        for (ulong sequence = stream.Floor + 1; sequence <= stream.Floor + span; sequence++)
        {
            if (!stream.Ring.Has(sequence))
            {
                continue;
            }

            if (stream.Ring.SlotOf(sequence).DueUs != MessageRing.NotArmed)
            {
                stream.PendingRepairs--;
            }

            stream.Ring.Free(sequence);
            Counters.Retained(-1);
            if (evicted)
            {
                Counters.RetentionEvictions++;
            }
        }

        stream.Floor = floor;
    }

    private void OnMulticastMemberFailed(NodeId member)
    {
        _local.Reports.Remove(member);
        foreach (MulticastStream stream in _streamList)
        {
            stream.Reports.Remove(member);
            if (stream.Origin == member)
            {
                stream.OriginFailed = true;
                stream.NackRounds = 0; // count the rounds addressed to the group from here on
            }
        }
    }
}
