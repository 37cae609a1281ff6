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
        if (EpollControl(epoll, LibC.EPOLL_CTL_ADD, fd, tag) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>epoll_ctl(2) with <paramref name="op"/> (<c>LibC.EPOLL_CTL_ADD</c> or <c>_DEL</c>) for input on <paramref name="fd"/>, tagged <paramref name="tag"/>; 0, or -1 and errno.</summary>
    internal static int EpollControl(SafeHandle epoll, int op, SafeHandle fd, uint tag)
    {
        epoll_event ev = default;
        ev.events = LibC.EPOLLIN;
        ev.data.u32 = tag;
        bool addedEpoll = false, addedFd = false;
        try
        {
            return LibC.epoll_ctl(AddRef(epoll, ref addedEpoll), op, AddRef(fd, ref addedFd), &ev);
        }
        finally
        {
            Release(fd, addedFd);
            Release(epoll, addedEpoll);
        }
    }

    /// <summary>read(2) on a descriptor held by a SafeHandle; the count read, or -1 and errno.</summary>
    internal static nint Read(SafeHandle fd, void* buffer, nuint count)
    {
        bool added = false;
        try
        {
            return (nint)(long)LibC.read(AddRef(fd, ref added), buffer, (size_t)(ulong)count);
        }
        finally
        {
            Release(fd, added);
        }
    }

    /// <summary>write(2) on a descriptor held by a SafeHandle; the count written, or -1 and errno.</summary>
    internal static nint Write(SafeHandle fd, void* buffer, nuint count)
    {
        bool added = false;
        try
        {
            return (nint)(long)LibC.write(AddRef(fd, ref added), buffer, (size_t)(ulong)count);
        }
        finally
        {
            Release(fd, added);
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
        _ = Write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets the eventfd's counter to zero (non-blocking).</summary>
    internal static void Reset(FileDescriptorHandle eventFd)
    {
        ulong value;
        _ = Read(eventFd, &value, sizeof(ulong));
    }
}
