using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// The arrivals of one group send, sorted by time: the agenda holds only the next arrival of each
/// group send in flight, not one event per receiver. When a thousand nodes heartbeat at once, the
/// agenda holds a thousand entries instead of a million, and stays in cache. Pooled.
/// </summary>
internal sealed class FanOut
{
    // Sort key: arrival time in the high 43 bits (about 100 days of microseconds), the index of the
    // entry (its place in sending order) in the low 21 bits: unique keys, so the order is total.
    private const int IndexBits = 21;
    private const ulong IndexMask = (1UL << IndexBits) - 1;

    /// <summary>Most arrivals one group send can have (two copies to each of a million receivers).</summary>
    public const int MaxEntries = 1 << IndexBits;

    /// <summary>Latest arrival time a fan-out can hold (microseconds).</summary>
    public const long MaxTimeUs = (long)(ulong.MaxValue >> IndexBits);

    private ulong[] _keys = new ulong[64];
    private int[] _receivers = new int[64];

    public PacketBuffer? Packet { get; private set; }

    public int Count { get; private set; }

    public int Cursor { get; private set; }

    public int Id { get; }

    public FanOut(int id) => Id = id;

    public void Begin(PacketBuffer packet)
    {
        Packet = packet;
        Count = 0;
        Cursor = 0;
    }

    public void Add(long timeUs, int receiver)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _receivers, Count * 2);
        }

        _keys[Count] = ((ulong)timeUs << IndexBits) | (uint)Count;
        _receivers[Count] = receiver;
        Count++;
    }

    public void Sort() => Array.Sort(_keys, 0, Count);

    public long TimeAtCursor => (long)(_keys[Cursor] >> IndexBits);

    public int ReceiverAtCursor => _receivers[(int)(_keys[Cursor] & IndexMask)];

    /// <summary>Moves to the next arrival; false when this was the last one.</summary>
    public bool Advance() => ++Cursor < Count;

    public PacketBuffer End()
    {
        PacketBuffer packet = Packet!;
        Packet = null;
        return packet;
    }
}
