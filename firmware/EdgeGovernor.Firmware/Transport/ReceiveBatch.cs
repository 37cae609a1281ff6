using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// Receive slots for <c>recvmmsg</c>: many datagrams per system call, straight into preallocated
/// memory. Each slot has a pinned 2 KiB buffer, a <see cref="SocketAddress"/> whose own (pinned)
/// buffer the kernel writes the source into, and a control buffer for the socket's drop counter
/// (SO_RXQ_OVFL). The message headers that point at all of these are built once; a receive only
/// resets the in/out lengths. Nothing is allocated after construction. Not thread-safe: one batch
/// belongs to the thread that drains the transport.
/// </summary>
internal sealed unsafe class ReceiveBatch : IDisposable
{
    /// <summary>Bytes per slot: above the 1500-byte Ethernet MTU and the protocol's 1200-byte payload limit.</summary>
    public const int SlotBytes = 2048;

    private const int ControlBytes = 32; // CMSG_SPACE(sizeof(uint)): 24 on LP64, 16 on ILP32

    private readonly byte[] _buffers;
    private readonly byte[] _control;
    private readonly Libc.MMsgHdr[] _headers;
    private readonly Libc.IoVec[] _iov;
    private readonly SocketAddress[] _sources;
    private readonly MemoryHandle[] _sourcePins;
    private readonly int _addressSize;

    /// <summary>Creates <paramref name="slots"/> slots for sources of <paramref name="family"/>.</summary>
    public ReceiveBatch(int slots, AddressFamily family)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = slots;
        _buffers = GC.AllocateArray<byte>(slots * SlotBytes, pinned: true);
        _control = GC.AllocateArray<byte>(slots * ControlBytes, pinned: true);
        _headers = GC.AllocateArray<Libc.MMsgHdr>(slots, pinned: true);
        _iov = GC.AllocateArray<Libc.IoVec>(slots, pinned: true);
        _sources = new SocketAddress[slots];
        _sourcePins = new MemoryHandle[slots];
        _addressSize = SocketAddress.GetMaximumAddressSize(family);
        for (int i = 0; i < slots; i++)
        {
            _sources[i] = new SocketAddress(family, _addressSize);
            _sourcePins[i] = _sources[i].Buffer.Pin();
            _iov[i].Base = Pointer(_buffers, i * SlotBytes);
            _iov[i].Length = SlotBytes;
            ref Libc.MsgHdr h = ref _headers[i].Header;
            h.Name = _sourcePins[i].Pointer;
            h.Iov = (Libc.IoVec*)Unsafe.AsPointer(ref _iov[i]);
            h.IovLength = 1;
            h.Control = Pointer(_control, i * ControlBytes);
        }
    }

    /// <summary>Datagrams one <see cref="Receive"/> can take.</summary>
    public int Slots { get; }

    /// <summary>
    /// Takes up to <paramref name="max"/> queued datagrams from <paramref name="socket"/> without waiting.
    /// Returns how many (0 when none was queued), or -errno on failure (EINTR is retried).
    /// </summary>
    public int Receive(SafeSocketHandle socket, int max)
    {
        int count = Math.Min(max, Slots);
        Libc.MMsgHdr* headers = (Libc.MMsgHdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_headers));
        for (int i = 0; i < count; i++)
        {
            headers[i].Header.NameLength = (uint)_addressSize;
            headers[i].Header.ControlLength = ControlBytes;
            headers[i].Header.Flags = 0;
            headers[i].Length = 0;
        }

        while (true)
        {
            int got = Libc.RecvMMsg(socket, headers, (uint)count, LibC.MSG_DONTWAIT, null);
            if (got >= 0)
            {
                return got;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EAGAIN)
            {
                return 0;
            }
            if (errno != LibC.EINTR)
            {
                return -errno;
            }
        }
    }

    /// <summary>The datagram in slot <paramref name="i"/> after a <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Datagram(int i) => _buffers.AsSpan(i * SlotBytes, (int)Math.Min(_headers[i].Length, SlotBytes));

    /// <summary>True when the datagram in slot <paramref name="i"/> did not fit its slot (cut short by the kernel).</summary>
    public bool Truncated(int i) => (_headers[i].Header.Flags & LibC.MSG_TRUNC) != 0;

    /// <summary>The source of slot <paramref name="i"/> (its size set from what the kernel wrote).</summary>
    public SocketAddress Source(int i)
    {
        SocketAddress source = _sources[i];
        source.Size = (int)Math.Min(_headers[i].Header.NameLength, (uint)_addressSize);
        return source;
    }

    /// <summary>
    /// The socket's cumulative drop counter as of slot <paramref name="i"/>'s datagram (SO_RXQ_OVFL; the
    /// kernel adds it once the counter is non-zero), or -1 when absent.
    /// </summary>
    public long DropCounter(int i)
    {
        ref Libc.MsgHdr h = ref _headers[i].Header;
        int header = sizeof(nuint) + (2 * sizeof(int)); // struct cmsghdr
        int data = (header + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1); // CMSG_ALIGN
        if (h.ControlLength < (nuint)(data + sizeof(uint)))
        {
            return -1;
        }

        byte* c = (byte*)h.Control;
        int level = *(int*)(c + sizeof(nuint));
        int type = *(int*)(c + sizeof(nuint) + sizeof(int));
        return level == LibC.SOL_SOCKET && type == LibC.SO_RXQ_OVFL ? *(uint*)(c + data) : -1;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (int i = 0; i < _sourcePins.Length; i++)
        {
            _sourcePins[i].Dispose();
            _sourcePins[i] = default;
        }
    }

    private static void* Pointer(byte[] pinned, int offset) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
}
