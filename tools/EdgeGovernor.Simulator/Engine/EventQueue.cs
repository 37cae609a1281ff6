namespace EdgeGovernor.Simulator.Engine;

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
