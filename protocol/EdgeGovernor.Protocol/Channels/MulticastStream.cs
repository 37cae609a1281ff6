using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// One sender incarnation's reliable ordered multicast stream as seen by one node (its own stream too): the holdback
/// and retention ring and the stream positions, with in-order delivery, the origin's announced stable point (skip when
/// it is beyond us) and giving up a gap. Sequence numbers: everything at or below <see cref="Floor"/> is freed;
/// (<see cref="Floor"/>, <see cref="Delivered"/>] is retained for repairs; (<see cref="Delivered"/>,
/// <see cref="Highest"/>] is held back or missing. All of it lies within one <see cref="MessageRing"/> capacity.
/// Its loss detection (<see cref="Loss"/>), holder repairs (<see cref="Repairs"/>) and stability
/// (<see cref="Stability"/>) are small classes of their own over this state.
/// </summary>
internal sealed class MulticastStream
{
    private readonly MulticastContext _context;

    public MulticastStream(NodeId origin, ulong incarnation, bool isLocal, int capacity, MulticastContext context)
    {
        Origin = origin;
        Incarnation = incarnation;
        IsLocal = isLocal;
        Ring = new MessageRing(capacity);
        _context = context;
        Loss = new LossDetector(this, context);
        Repairs = new RetransmitHandler(this, context);
        Stability = new StabilityTracker(this, context);
    }

    public NodeId Origin { get; }

    public ulong Incarnation { get; private set; }

    public bool IsLocal { get; }

    public MessageRing Ring { get; }

    /// <summary>NACKs for this stream's gaps.</summary>
    public LossDetector Loss { get; }

    /// <summary>Repairs of this stream's messages (the origin at once, other holders after a backoff).</summary>
    public RetransmitHandler Repairs { get; }

    /// <summary>Members' reports and freeing of retained messages.</summary>
    public StabilityTracker Stability { get; }

    /// <summary>Delivered up to (inclusive); for the local stream: published up to.</summary>
    public ulong Delivered;

    /// <summary>Highest sequence known to exist (received or announced).</summary>
    public ulong Highest;

    /// <summary>Freed up to (inclusive).</summary>
    public ulong Floor;

    /// <summary>The stable point last announced by the origin (local stream: computed here).</summary>
    public ulong AnnouncedStable;

    /// <summary>True while the origin is declared failed.</summary>
    public bool OriginFailed;

    public bool HasGap => Highest > Delivered;

    /// <summary>Forgets everything and starts the stream of a new incarnation at <paramref name="start"/>; returns the messages freed.</summary>
    public int Reset(ulong incarnation, ulong start)
    {
        int freed = Ring.Count;
        Ring.Clear();
        Stability.Clear();
        Incarnation = incarnation;
        Delivered = Highest = Floor = AnnouncedStable = start;
        Loss.Reset();
        Repairs.Reset();
        OriginFailed = false;
        return freed;
    }

    /// <summary>Sends the held message <paramref name="sequence"/> as data or repair.</summary>
    public void Send(MessageType type, ulong sequence)
    {
        ref MessageRing.Slot slot = ref Ring.SlotOf(sequence);
        var frame = new MulticastDataFrame(Origin, Incarnation, sequence, AnnouncedStable, slot.Channel);
        _context.Sink.SendMulticast(type, frame, slot.Message);
    }

    /// <summary>Publishes the next message of the local stream: stores, sends and delivers it to this node.
    /// False when <paramref name="window"/> unstable messages are outstanding.</summary>
    public bool TryPublish(byte channel, ReadOnlySpan<byte> message, int window, long nowUs)
    {
        if (Delivered - Floor >= (ulong)window)
        {
            return false;
        }

        ulong sequence = Delivered + 1;
        Ring.Store(sequence, channel, message);
        Delivered = Highest = sequence;
        _context.Counters.Retained(1);
        _context.Counters.MulticastPublished++;
        Send(MessageType.MulticastData, sequence);
        Deliver(sequence, nowUs);
        return true;
    }

    /// <summary>
    /// Takes one data or repair frame of this stream: applies its stable point, holds it back or delivers it (and
    /// whatever it unblocks) in order, and arms the NACK timer for any gap. Returns <see cref="DropReason.HoldbackFull"/>
    /// when it lies beyond the ring even after evicting retained messages.
    /// </summary>
    public DropReason Receive(in MulticastDataFrame frame, ReadOnlySpan<byte> message, bool isRepair, long nowUs)
    {
        ulong sequence = frame.Sequence;
        if (isRepair && Ring.Has(sequence))
        {
            Repairs.OnRepairHeard(sequence, nowUs);
        }

        ApplyAnnouncedStable(frame.Stable, nowUs);
        if (sequence > Highest)
        {
            Highest = sequence;
        }

        if (sequence <= Delivered || Ring.Has(sequence))
        {
            _context.Counters.MulticastDuplicates++;
            return DropReason.None;
        }

        ulong capacity = (ulong)Ring.Capacity;
        if (sequence - Floor > capacity)
        {
            // Make room by evicting the oldest retained (delivered, not yet stable) messages.
            Stability.ReleaseUpTo(Math.Min(sequence - capacity, Delivered), evicted: true);
        }

        DropReason result = DropReason.None;
        if (sequence - Floor > capacity)
        {
            result = DropReason.HoldbackFull;
        }
        else
        {
            Ring.Store(sequence, frame.Channel, message);
            _context.Counters.Retained(1);
            DeliverInOrder(nowUs);
        }

        Loss.Arm(nowUs);
        return result;
    }

    /// <summary>Takes the origin's announcement (heartbeat): its highest sequence and stable point.</summary>
    public void OnAnnouncement(ulong highest, ulong stable, long nowUs)
    {
        ApplyAnnouncedStable(stable, nowUs);
        if (highest > Highest)
        {
            Highest = highest;
        }

        Loss.Arm(nowUs);
    }

    /// <summary>A member reported delivering up to <paramref name="delivered"/>: beyond what we know, it reveals
    /// messages we missed (after the origin failed, that is how a receiver learns of a lost tail).</summary>
    public void OnReport(NodeId reporter, ulong delivered, long nowUs)
    {
        if (!IsLocal && delivered > Highest)
        {
            Highest = delivered;
            Loss.Arm(nowUs);
        }

        Stability.Record(reporter, delivered);
    }

    /// <summary>Delivers every held message that continues the stream.</summary>
    public void DeliverInOrder(long nowUs)
    {
        bool progress = false;
        while (Ring.Has(Delivered + 1))
        {
            progress = true;
            Deliver(++Delivered, nowUs);
        }

        if (progress)
        {
            Loss.OnProgress();
        }
    }

    /// <summary>Gives up the first gap (the origin failed and the NACK rounds ran out): skips the missing messages up
    /// to the next held one (or, when nothing is held or the gap is wider than the ring, up to the first held one or the highest).</summary>
    public void AbandonFirstGap(long nowUs)
    {
        if (Ring.Count == 0 || Highest - Delivered > (ulong)Ring.Capacity)
        {
            ulong held = 0;
            for (ulong s = Delivered + 1; s <= Delivered + (ulong)Ring.Capacity && s <= Highest; s++)
            {
                if (Ring.Has(s))
                {
                    held = s;
                    break;
                }
            }

            ulong target = held != 0 ? held - 1 : Highest;
            _context.Counters.MessagesAbandoned += (long)(target - Delivered);
            Delivered = target;
            DeliverInOrder(nowUs);
            return;
        }

        while (Delivered < Highest && !Ring.Has(Delivered + 1))
        {
            Delivered++;
            _context.Counters.MessagesAbandoned++;
        }

        DeliverInOrder(nowUs);
    }

    /// <summary>The origin's stable point: everything at or below it was delivered by every member the origin counts.
    /// If we are behind it, the origin did not count us (we joined late): skip to it.</summary>
    private void ApplyAnnouncedStable(ulong stable, long nowUs)
    {
        if (stable > AnnouncedStable)
        {
            AnnouncedStable = stable;
        }

        if (stable <= Delivered)
        {
            return;
        }

        if (stable - Delivered >= (ulong)Ring.Capacity)
        {
            _context.Counters.MessagesSkipped += (long)(stable - Delivered) - Ring.Count;
            _context.Counters.Retained(-Ring.Count);
            Ring.Clear();
            Repairs.Reset();
            Delivered = Floor = stable;
        }
        else
        {
            while (Delivered < stable)
            {
                ulong sequence = ++Delivered;
                if (Ring.Has(sequence))
                {
                    Deliver(sequence, nowUs);
                }
                else
                {
                    _context.Counters.MessagesSkipped++;
                }
            }
        }

        Highest = Math.Max(Highest, Delivered);
        DeliverInOrder(nowUs);
    }

    private void Deliver(ulong sequence, long nowUs)
    {
        ref MessageRing.Slot slot = ref Ring.SlotOf(sequence);
        _context.Sink.DeliverMulticast(Origin, sequence, slot.Channel, slot.Message, nowUs);
    }
}
