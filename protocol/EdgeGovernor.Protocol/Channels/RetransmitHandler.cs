using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Repairs of one multicast stream's retained messages (Aeron's RetransmitHandler). The origin answers a NACK at once;
/// another holder (after the origin failed, NACKs go to the group) schedules the repair after a random backoff and
/// cancels it when it overhears another holder's repair. Either way a message is repaired at most once per RTT (a NACK
/// that crossed the repair is ignored). The per-message timer lives in the ring slot (<see cref="MessageRing.Slot.DueUs"/>,
/// <see cref="MessageRing.Slot.LastSentUs"/>); this class counts the scheduled ones.
/// </summary>
internal sealed class RetransmitHandler
{
    private readonly MulticastStream _stream;
    private readonly MulticastContext _context;

    public RetransmitHandler(MulticastStream stream, MulticastContext context)
    {
        _stream = stream;
        _context = context;
    }

    /// <summary>Repairs scheduled by this node as a holder.</summary>
    public int Pending { get; private set; }

    public void Reset() => Pending = 0;

    /// <summary>Answers a NACK for this stream: repairs (origin) or schedules repairs (other holder) of the missing
    /// messages we hold, skipping those repaired within the last RTT.</summary>
    public void OnNack(in NackFrame nack, long nowUs)
    {
        MulticastStream stream = _stream;
        ulong mask = nack.Mask;
        for (int i = 0; i < 64 && mask != 0; i++, mask >>= 1)
        {
            ulong sequence = nack.FirstMissing + (ulong)i;
            if ((mask & 1) == 0 || sequence <= stream.Floor || sequence > stream.Delivered || !stream.Ring.Has(sequence))
            {
                continue;
            }

            ref MessageRing.Slot slot = ref stream.Ring.SlotOf(sequence);
            if (nowUs - slot.LastSentUs < _context.RttUs)
            {
                _context.Counters.RepairsSuppressed++; // repaired moments ago: this NACK crossed the repair
                continue;
            }

            if (stream.IsLocal)
            {
                slot.LastSentUs = nowUs;
                _context.Counters.RepairsSent++;
                stream.Send(MessageType.Repair, sequence);
            }
            else if (slot.DueUs == MessageRing.NotArmed)
            {
                slot.DueUs = nowUs + _context.BackoffUs();
                Pending++;
                _context.Sink.WakeAt(slot.DueUs);
            }
        }
    }

    /// <summary>Another holder's repair of a message we hold: it counts as sent now, and ours (if scheduled) is cancelled.</summary>
    public void OnRepairHeard(ulong sequence, long nowUs)
    {
        ref MessageRing.Slot held = ref _stream.Ring.SlotOf(sequence);
        held.LastSentUs = nowUs;
        if (held.DueUs != MessageRing.NotArmed)
        {
            held.DueUs = MessageRing.NotArmed;
            Pending--;
            _context.Counters.RepairsSuppressed++;
        }
    }

    /// <summary>A retained message is being freed: forget its scheduled repair.</summary>
    public void OnFreed(ref MessageRing.Slot slot)
    {
        if (slot.DueUs != MessageRing.NotArmed)
        {
            Pending--;
        }
    }

    /// <summary>Sends the scheduled repairs that are due and reports the next due time to the sink.</summary>
    public void Tick(long nowUs)
    {
        if (Pending <= 0)
        {
            return;
        }

        MulticastStream stream = _stream;
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
                _context.Counters.RepairsSent++;
                stream.Send(MessageType.Repair, sequence);
            }
            else
            {
                pending++;
                _context.Sink.WakeAt(slot.DueUs);
            }
        }

        Pending = pending;
    }
}
