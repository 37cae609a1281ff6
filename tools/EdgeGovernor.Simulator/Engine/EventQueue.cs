using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>What a scheduled event does when its time comes.</summary>
public enum EventKind : byte
{
    /// <summary>A datagram arrives at a node.</summary>
    Deliver = 1,

    /// <summary>A node's timer deadline (<c>NextDeadlineUs</c>) is due.</summary>
    Tick = 2,

    /// <summary>A publisher's application sends its next message.</summary>
    Publish = 3,

    /// <summary>A scheduled action: a fault, a partition change, a sampler, or a caller's own action.</summary>
    Action = 4,

    /// <summary>The next arrival of a group send (its receivers' arrivals are kept sorted in a fan-out).</summary>
    FanOut = 5,
}

/// <summary>
/// One entry of the virtual clock's agenda. Ordered by <see cref="TimeUs"/>, then by
/// <see cref="Sequence"/> (the order of scheduling), so that equal times resolve the same way in
/// every run.
/// </summary>
internal struct ScheduledEvent
{
    public long TimeUs;
    public long Sequence;
    public EventKind Kind;
    public int Node;
    public int Life;
    public int Argument;
    public PacketBuffer? Packet;

    public readonly bool PrecedesOrEquals(in ScheduledEvent other) =>
        TimeUs < other.TimeUs || (TimeUs == other.TimeUs && Sequence <= other.Sequence);
}

/// <summary>
/// The virtual clock's agenda: a binary min-heap of value-type events (no allocation per event
/// once the array has grown to the run's working size).
/// </summary>
internal sealed class EventQueue
{
    private ScheduledEvent[] _heap = new ScheduledEvent[1024];
    private int _count;
    private long _nextSequence;

    public int Count => _count;

    public long PeekTimeUs => _count == 0 ? long.MaxValue : _heap[0].TimeUs;

    public void Push(ScheduledEvent e)
    {
        e.Sequence = _nextSequence++;
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        int i = _count++;
        ScheduledEvent[] heap = _heap;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (heap[parent].PrecedesOrEquals(e))
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = e;
    }

    public ScheduledEvent Pop()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("the event queue is empty");
        }

        ScheduledEvent[] heap = _heap;
        ScheduledEvent top = heap[0];
        ScheduledEvent last = heap[--_count];
        heap[_count] = default;
        if (_count > 0)
        {
            int i = 0;
            int n = _count;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= n)
                {
                    break;
                }

                if (child + 1 < n && heap[child + 1].PrecedesOrEquals(heap[child]))
                {
                    child++;
                }

                if (last.PrecedesOrEquals(heap[child]))
                {
                    break;
                }

                heap[i] = heap[child];
                i = child;
            }

            heap[i] = last;
        }

        return top;
    }
}
