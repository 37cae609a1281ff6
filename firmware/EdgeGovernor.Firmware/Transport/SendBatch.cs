using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// Datagrams held for one <c>sendmmsg</c>: each slot has a pinned 2 KiB copy of the datagram and of its
/// destination address; the message headers pointing at them are built once. Nothing is allocated
/// after construction. Not thread-safe: one batch belongs to the thread that sends.
/// </summary>
internal sealed unsafe class SendBatch
{
    private readonly byte[] _buffers;
    private readonly byte[] _names;
    private readonly Libc.MMsgHdr[] _headers;
    private readonly Libc.IoVec[] _iov;
    private readonly bool[] _group;
    private readonly int _nameBytes;

    /// <summary>Creates <paramref name="slots"/> slots for destinations of <paramref name="family"/>.</summary>
    public SendBatch(int slots, AddressFamily family)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = slots;
        _nameBytes = SocketAddress.GetMaximumAddressSize(family);
        _buffers = GC.AllocateArray<byte>(slots * ReceiveBatch.SlotBytes, pinned: true);
        _names = GC.AllocateArray<byte>(slots * _nameBytes, pinned: true);
        _headers = GC.AllocateArray<Libc.MMsgHdr>(slots, pinned: true);
        _iov = GC.AllocateArray<Libc.IoVec>(slots, pinned: true);
        _group = new bool[slots];
        for (int i = 0; i < slots; i++)
        {
            _iov[i].Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers)) + (i * ReceiveBatch.SlotBytes);
            ref Libc.MsgHdr h = ref _headers[i].Header;
            h.Name = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_names)) + (i * _nameBytes);
            h.Iov = (Libc.IoVec*)Unsafe.AsPointer(ref _iov[i]);
            h.IovLength = 1;
        }
    }

    /// <summary>Datagrams one batch holds.</summary>
    public int Slots { get; }

    /// <summary>Datagrams held.</summary>
    public int Count { get; private set; }

    /// <summary>Whether held datagram <paramref name="i"/> goes to the group.</summary>
    public bool IsGroup(int i) => _group[i];

    /// <summary>Copies a datagram and its destination into the next slot; false when the batch is full or the datagram too large.</summary>
    public bool TryAdd(ReadOnlySpan<byte> datagram, SocketAddress destination, bool group)
    {
        if (Count == Slots || datagram.Length > ReceiveBatch.SlotBytes || destination.Size > _nameBytes)
        {
            return false;
        }

        int i = Count++;
        datagram.CopyTo(_buffers.AsSpan(i * ReceiveBatch.SlotBytes, ReceiveBatch.SlotBytes));
        destination.Buffer.Span[..destination.Size].CopyTo(_names.AsSpan(i * _nameBytes, _nameBytes));
        _iov[i].Length = (nuint)datagram.Length;
        _headers[i].Header.NameLength = (uint)destination.Size;
        _group[i] = group;
        return true;
    }

    /// <summary>
    /// Sends the held datagrams from index <paramref name="first"/> on. Returns how many the kernel took
    /// (the one after them failed), or -errno when the first one failed; EINTR is retried.
    /// </summary>
    public int Send(SafeSocketHandle socket, int first)
    {
        Libc.MMsgHdr* headers = (Libc.MMsgHdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_headers));
        while (true)
        {
            int sent = Libc.SendMMsg(socket, headers + first, (uint)(Count - first), 0);
            if (sent >= 0)
            {
                return sent;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                return -errno;
            }
        }
    }

    /// <summary>Bytes of held datagram <paramref name="i"/>.</summary>
    public int Length(int i) => (int)_iov[i].Length;

    /// <summary>Forgets every held datagram.</summary>
    public void Clear() => Count = 0;
}
