using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// epoll over sockets and a wake-up eventfd (Linux), for the firmware's UDP transport. <see cref="epoll_event"/> is
/// Tmds.LibC's, laid out per architecture: packed, 12 bytes with <c>data</c> at 4 on x86-64; 16 bytes with
/// <c>data</c> at 8 on arm64 and arm.
/// </summary>
internal static unsafe partial class Libc
{
    /// <summary>int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout).</summary>
    internal static int EpollWait(SafeHandle epoll, epoll_event* events, int count, int timeoutMs)
    {
        bool added = false;
        try
        {
            return LibC.epoll_wait(AddRef(epoll, ref added), events, count, timeoutMs);
        }
        finally
        {
            Release(epoll, added);
        }
    }

    /// <summary>Opens an epoll instance; throws <see cref="SocketException"/> on failure.</summary>
    internal static FileDescriptorHandle OpenEpoll()
    {
        int fd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return new FileDescriptorHandle(fd);
    }

    /// <summary>Watches <paramref name="fd"/> for input (level-triggered), reporting <paramref name="tag"/> in epoll_event.data.</summary>
    internal static void EpollAdd(FileDescriptorHandle epoll, SafeHandle fd, uint tag)
    {
        epoll_event ev = default;
        ev.events = LibC.EPOLLIN;
        ev.data.u32 = tag;
        bool addedEpoll = false, addedFd = false;
        try
        {
            int result = LibC.epoll_ctl(AddRef(epoll, ref addedEpoll), LibC.EPOLL_CTL_ADD, AddRef(fd, ref addedFd), &ev);
            if (result != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            Release(fd, addedFd);
            Release(epoll, addedEpoll);
        }
    }

    /// <summary>Opens a non-blocking eventfd; throws <see cref="SocketException"/> on failure.</summary>
    internal static FileDescriptorHandle OpenEventFd()
    {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
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
        bool added = false;
        try
        {
            _ = LibC.write(AddRef(eventFd, ref added), &one, sizeof(ulong));
        }
        finally
        {
            Release(eventFd, added);
        }
    }

    /// <summary>Resets the eventfd's counter to zero (non-blocking).</summary>
    internal static void Reset(FileDescriptorHandle eventFd)
    {
        ulong value;
        bool added = false;
        try
        {
            _ = LibC.read(AddRef(eventFd, ref added), &value, sizeof(ulong));
        }
        finally
        {
            Release(eventFd, added);
        }
    }
}
