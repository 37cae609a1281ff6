namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Fixed-capacity store of messages indexed by sequence number modulo the capacity. Each slot keeps a
/// reusable buffer, so steady-state storing allocates nothing. Holds at most one message per slot;
/// the caller keeps every stored sequence number within one capacity span.
/// </summary>
internal sealed class MessageRing
{
    /// <summary>
    /// A timer that is not armed (a slot's repair, a stream's NACK). Any real due time, 0 included (time 0 with no
    /// backoff), is below it, so "not armed" cannot be mistaken for "due now" or the other way round.
    /// </summary>
    public const long NotArmed = long.MaxValue;

    private readonly Slot[] _slots;

    public MessageRing(int capacity) => _slots = new Slot[capacity];

    public int Capacity => _slots.Length;

    public int Count { get; private set; }

    public bool Has(ulong sequence) => sequence != 0 && SlotOf(sequence).Sequence == sequence;

    public ref Slot SlotOf(ulong sequence) => ref _slots[(int)(sequence % (ulong)_slots.Length)];

    /// <summary>Stores a message; returns false when the slot holds another message.</summary>
    public bool Store(ulong sequence, byte channel, ReadOnlySpan<byte> payload)
    {
        ref Slot s = ref SlotOf(sequence);
        if (s.Sequence != 0)
        {
            return false;
        }

        if (s.Buffer is null || s.Buffer.Length < payload.Length)
        {
            s.Buffer = new byte[Math.Max(64, (payload.Length + 63) & ~63)];
        }

        payload.CopyTo(s.Buffer);
        s.Sequence = sequence;
        s.Length = payload.Length;
        s.Channel = channel;
        s.DueUs = NotArmed;
        s.LastSentUs = long.MinValue / 2;
        s.Attempts = 0;
        Count++;
        return true;
    }

    public bool Free(ulong sequence)
    {
        ref Slot s = ref SlotOf(sequence);
        if (s.Sequence != sequence || sequence == 0)
        {
            return false;
        }

        s.Sequence = 0;
        Count--;
        return true;
    }

    public void Clear()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i].Sequence = 0;
        }

        Count = 0;
    }

    /// <summary>One stored message and its timer fields (meaning depends on the channel).</summary>
    internal struct Slot
    {
        public ulong Sequence;
        public int Length;
        public byte Channel;
        public byte[]? Buffer;

        /// <summary>The stored message (valid while the slot holds it).</summary>
        public readonly ReadOnlySpan<byte> Message => Buffer.AsSpan(0, Length);

        /// <summary>Multicast: scheduled repair time (<see cref="NotArmed"/>: none). Unicast: next retransmission time.</summary>
        public long DueUs;

        /// <summary>Multicast: last repair sent. Unicast: last (re)transmission.</summary>
        public long LastSentUs;

        /// <summary>Unicast: retransmissions so far.</summary>
        public int Attempts;

        /// <summary>Unicast: current retransmission timeout.</summary>
        public long RtoUs;
    }
}
