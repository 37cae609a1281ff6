using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeGovernor.Hal.Interop;

/// <summary>epoll over sockets and a wake-up eventfd (Linux), for the firmware's UDP transport.</summary>
internal static unsafe partial class Libc
{
    internal const uint EPOLLIN = 0x1;
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CLOEXEC = O_CLOEXEC;
    internal const int EFD_NONBLOCK = O_NONBLOCK;
    internal const int EFD_CLOEXEC = O_CLOEXEC;

    /// <summary>sizeof(struct epoll_event) on the running architecture (see <see cref="EpollEventSizeOf"/>).</summary>
    internal static readonly int EpollEventSize = EpollEventSizeOf(RuntimeInformation.ProcessArchitecture);

    /// <summary>Offset of epoll_event.data on the running architecture.</summary>
    internal static readonly int EpollDataOffset = EpollDataOffsetOf(RuntimeInformation.ProcessArchitecture);

    /// <summary>
    /// sizeof(struct epoll_event): <c>__EPOLL_PACKED</c> on x86-64 (and x86, which aligns a u64 to 4): 12 bytes;
    /// naturally aligned elsewhere (arm64, arm EABI): 16.
    /// </summary>
    internal static int EpollEventSizeOf(Architecture architecture) => IsPackedEpoll(architecture) ? 12 : 16;

    /// <summary>Offset of epoll_event.data: 4 where the struct is packed, 8 elsewhere.</summary>
    internal static int EpollDataOffsetOf(Architecture architecture) => IsPackedEpoll(architecture) ? 4 : 8;

    /// <summary>int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout).</summary>
    [LibraryImport(LibraryName, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(SafeHandle epoll, byte* events, int count, int timeoutMs);

    /// <summary>Opens an epoll instance; throws <see cref="SocketException"/> on failure.</summary>
    internal static FileDescriptorHandle OpenEpoll()
    {
        int fd = EpollCreate1(EPOLL_CLOEXEC);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>Watches <paramref name="fd"/> for input (level-triggered), reporting <paramref name="tag"/> in epoll_event.data.</summary>
    internal static void EpollAdd(FileDescriptorHandle epoll, SafeHandle fd, uint tag)
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

    /// <summary>Opens a non-blocking eventfd; throws <see cref="SocketException"/> on failure.</summary>
    internal static FileDescriptorHandle OpenEventFd()
    {
        int fd = EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>Adds one to the eventfd's counter (makes it readable).</summary>
    internal static void Signal(FileDescriptorHandle eventFd)
    {
        ulong one = 1;
        _ = Write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets the eventfd's counter to zero (non-blocking).</summary>
    internal static void Reset(FileDescriptorHandle eventFd)
    {
        ulong value;
        _ = Read(eventFd, &value, sizeof(ulong));
    }

    private static bool IsPackedEpoll(Architecture architecture) => architecture is Architecture.X64 or Architecture.X86;

    [LibraryImport(LibraryName, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    /// <summary>int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event); -1 and errno on failure.</summary>
    [LibraryImport(LibraryName, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(SafeHandle epoll, int op, SafeHandle fd, byte* ev);

    [LibraryImport(LibraryName, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    [LibraryImport(LibraryName, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeHandle fd, void* buffer, nuint count);

    /// <summary>ssize_t read(int fd, void *buf, size_t count); -1 and errno on failure.</summary>
    [LibraryImport(LibraryName, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeHandle fd, void* buffer, nuint count);
}
