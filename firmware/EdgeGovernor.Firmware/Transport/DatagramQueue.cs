using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// Fixed pool of receive slots between the socket threads (producers) and the protocol loop
/// (the one consumer). Every slot owns a pinned 2 KiB buffer and a preallocated
/// <see cref="SocketAddress"/>; a producer rents a free slot, receives straight into it and
/// publishes it; the consumer processes and returns it. Nothing is allocated after construction.
/// When every slot is in use the producer receives into its own scratch slot and the datagram is
/// counted as dropped: the network side never waits for the protocol loop, and the protocol
/// loop never waits for the network (bounded, lossy, like a NIC ring).
/// </summary>
public sealed class DatagramQueue : IDisposable
{
    /// <summary>Bytes per slot: above the 1500-byte Ethernet MTU and the protocol's 1200-byte payload limit.</summary>
    public const int SlotBytes = 2048;

    private readonly byte[] _buffers;
    private readonly int[] _lengths;
    private readonly bool[] _multicast;
    private readonly SocketAddress[] _sources;
    private readonly int[] _free;
    private readonly int[] _ready;
    private readonly object _lock = new();
    private int _freeCount;
    private int _readyHead;
    private int _readyCount;
    private long _dropped;
    private bool _woken;

    /// <summary>Creates a queue of <paramref name="capacity"/> slots plus one scratch slot per producer.</summary>
    public DatagramQueue(int capacity, int producers, AddressFamily family)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        Capacity = capacity;
        int total = capacity + producers;
        _buffers = GC.AllocateArray<byte>(total * SlotBytes, pinned: true);
        _lengths = new int[total];
        _multicast = new bool[total];
        _sources = new SocketAddress[total];
        int addressSize = SocketAddress.GetMaximumAddressSize(family);
        for (int i = 0; i < total; i++)
        {
            _sources[i] = new SocketAddress(family, addressSize);
        }
        _free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _free[i] = i;
        }
        _freeCount = capacity;
        _ready = new int[capacity];
        ScratchBase = capacity;
    }

    /// <summary>Usable slots.</summary>
    public int Capacity { get; }

    /// <summary>First scratch slot; producer i owns slot <c>ScratchBase + i</c>.</summary>
    public int ScratchBase { get; }

    /// <summary>Datagrams dropped because every slot was busy.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams waiting for the consumer.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _readyCount;
            }
        }
    }

    /// <summary>The writable buffer of <paramref name="slot"/>.</summary>
    public Span<byte> Buffer(int slot) => _buffers.AsSpan(slot * SlotBytes, SlotBytes);

    /// <summary>The source-address holder of <paramref name="slot"/>.</summary>
    public SocketAddress Source(int slot) => _sources[slot];

    /// <summary>Producer: a free slot, or <paramref name="scratch"/> when none is free (the datagram will be dropped).</summary>
    public int Rent(int scratch)
    {
        lock (_lock)
        {
            return _freeCount > 0 ? _free[--_freeCount] : scratch;
        }
    }

    /// <summary>Producer: hands a filled slot to the consumer (a scratch slot is counted as dropped).</summary>
    public void Publish(int slot, int length, bool multicast)
    {
        if (slot >= ScratchBase)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        _lengths[slot] = length;
        _multicast[slot] = multicast;
        lock (_lock)
        {
            _ready[(_readyHead + _readyCount) % _ready.Length] = slot;
            _readyCount++;
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Producer: returns a slot whose receive failed.</summary>
    public void Abandon(int slot)
    {
        if (slot < ScratchBase)
        {
            Return(slot);
        }
    }

    /// <summary>Consumer: takes the oldest filled slot.</summary>
    public bool TryTake(out int slot, out ReadOnlySpan<byte> datagram, out SocketAddress source, out bool multicast)
    {
        lock (_lock)
        {
            if (_readyCount == 0)
            {
                slot = -1;
                datagram = default;
                source = null!;
                multicast = false;
                return false;
            }
            slot = _ready[_readyHead];
            _readyHead = (_readyHead + 1) % _ready.Length;
            _readyCount--;
        }
        datagram = _buffers.AsSpan(slot * SlotBytes, _lengths[slot]);
        source = _sources[slot];
        multicast = _multicast[slot];
        return true;
    }

    /// <summary>Consumer: gives a processed slot back.</summary>
    public void Return(int slot)
    {
        lock (_lock)
        {
            _free[_freeCount++] = slot;
        }
    }

    /// <summary>Consumer: waits until a datagram is published or the timeout passes; true when woken by data.</summary>
    public bool Wait(int timeoutMs)
    {
        // Monitor.Wait/Pulse on the queue's own lock: no lazily created event objects, so waiting
        // allocates nothing on the managed heap.
        lock (_lock)
        {
            if (_readyCount == 0 && !_woken && timeoutMs != 0)
            {
                Monitor.Wait(_lock, timeoutMs);
            }
            bool result = _readyCount > 0 || _woken;
            _woken = false;
            return result;
        }
    }

    /// <summary>Wakes the consumer without data (shutdown, new work from another thread).</summary>
    public void Wake()
    {
        lock (_lock)
        {
            _woken = true;
            Monitor.Pulse(_lock);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
