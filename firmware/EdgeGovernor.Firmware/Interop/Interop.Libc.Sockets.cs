using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeGovernor.Firmware.Interop;

/// <summary>
/// The socket calls <see cref="Transport.UdpTransport"/> needs beyond <see cref="Socket"/> (Linux):
/// <c>recvmmsg</c> and <c>sendmmsg</c> (many datagrams per system call), <c>epoll</c> over both sockets and a wake-up
/// <c>eventfd</c>, and a classic BPF socket filter. Structures use natural layout, which matches the
/// kernel's on LP64 (x86-64, arm64) and ILP32 (arm) alike.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_TRUNC = 0x20;
    public const int SOL_SOCKET = 1;
    public const int SO_ATTACH_FILTER = 26;
    public const int SO_RXQ_OVFL = 40;
    private const int EFD_NONBLOCK = 0x800;
    private const int EFD_CLOEXEC = 0x80000;

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct sock_filter (classic BPF instruction).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFilter(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        public ushort Code = code;
        public byte JumpTrue = jumpTrue;
        public byte JumpFalse = jumpFalse;
        public uint K = k;
    }

    /// <summary>struct sock_fprog.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    /// <summary>int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout).</summary>
    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMMsg(SafeSocketHandle socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    /// <summary>int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags).</summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(SafeSocketHandle socket, MMsgHdr* messages, uint count, int flags);

    public const uint EPOLLIN = 0x1;
    private const int EPOLL_CTL_ADD = 1;
    private const int EPOLL_CLOEXEC = 0x80000;

    /// <summary>sizeof(struct epoll_event): packed (12 bytes) on x86-64, naturally aligned (16) elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of epoll_event.data.</summary>
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(SafeHandle epoll, int op, SafeHandle fd, byte* ev);

    /// <summary>int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout).</summary>
    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(SafeHandle epoll, byte* events, int count, int timeoutMs);

    /// <summary>Opens an epoll instance; throws <see cref="SocketException"/> on failure.</summary>
    public static FileDescriptorHandle OpenEpoll()
    {
        int fd = EpollCreate1(EPOLL_CLOEXEC);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>Watches <paramref name="fd"/> for input (level-triggered), reporting <paramref name="tag"/> in epoll_event.data.</summary>
    public static void EpollAdd(FileDescriptorHandle epoll, SafeHandle fd, uint tag)
    {
        byte* ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = EPOLLIN;
        *(uint*)(ev + EpollDataOffset) = tag;
        if (EpollCtl(epoll, EPOLL_CTL_ADD, fd, ev) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(SafeHandle fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(SafeHandle fd, void* buffer, nuint count);

    /// <summary>Opens a non-blocking eventfd; throws <see cref="SocketException"/> on failure.</summary>
    public static FileDescriptorHandle OpenEventFd()
    {
        int fd = EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>Adds one to the eventfd's counter (makes it readable).</summary>
    public static void Signal(FileDescriptorHandle eventFd)
    {
        ulong one = 1;
        _ = Write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets the eventfd's counter to zero (non-blocking).</summary>
    public static void Reset(FileDescriptorHandle eventFd)
    {
        ulong value;
        _ = Read(eventFd, &value, sizeof(ulong));
    }

    /// <summary>Attaches a classic BPF program to <paramref name="socket"/> (SO_ATTACH_FILTER); the kernel copies it.</summary>
    public static void AttachFilter(Socket socket, ReadOnlySpan<SockFilter> program)
    {
        fixed (SockFilter* p = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = p };
            socket.SetRawSocketOption(SOL_SOCKET, SO_ATTACH_FILTER, new ReadOnlySpan<byte>(&fprog, sizeof(SockFprog)));
        }
    }
}

/// <summary>Owns one file descriptor (an eventfd, an epoll instance): one SafeHandle per native object.</summary>
internal sealed partial class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle()
        : base(-1, ownsHandle: true)
    {
    }

    public FileDescriptorHandle(int fd)
        : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    protected override bool ReleaseHandle() => Close((int)handle) == 0;
}
