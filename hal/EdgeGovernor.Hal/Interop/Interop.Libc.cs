using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The libc calls of the hardware layer and the firmware (dotnet/iot style: one Interop class in partial files,
/// errno through <see cref="Marshal.GetLastPInvokeError"/>): files and processes here, sockets in
/// <c>Interop.Libc.Sockets.cs</c>, epoll and eventfd in <c>Interop.Libc.Epoll.cs</c>. The calls, constants and
/// structs come from Tmds.LibC (<see cref="LibC"/>), whose package carries one implementation per runtime
/// (linux-x64, linux-arm64, linux-arm), so a value that differs between architectures, such as O_DIRECTORY
/// (0x10000 on x86-64, 0x4000 on arm64 and arm), is never copied by hand. What Tmds.LibC lacks
/// (<c>recvmmsg</c>, <c>sendmmsg</c>, <c>struct sock_filter</c>/<c>sock_fprog</c>, the GPIO uAPI) is declared
/// here with <c>LibraryImport</c> or explicit layouts, and <c>LibcAbiTests</c>/<c>GpioAbiTests</c> check every
/// such value, and Tmds.LibC's own values for each architecture, against the C headers of x86-64, arm64 and arm.
/// Paths are passed as NUL-terminated UTF-8 so that no marshalling allocates.
/// </summary>
internal static unsafe partial class Libc
{
    private const string LibraryName = "libc";

    /// <summary>close(2).</summary>
    internal static int Close(int fd) => LibC.close(fd);

    /// <summary>pread(2) with a 64-bit offset (off_t is 64-bit on x86-64 and arm64).</summary>
    internal static nint PRead(int fd, byte* buffer, nuint count, long offset) => (nint)(long)LibC.pread(fd, buffer, (size_t)(ulong)count, offset);

    /// <summary>write(2).</summary>
    internal static nint Write(int fd, byte* buffer, nuint count) => (nint)(long)LibC.write(fd, buffer, (size_t)(ulong)count);

    /// <summary>fsync(2).</summary>
    internal static int FSync(int fd) => LibC.fsync(fd);

    /// <summary>
    /// ioctl(2). The request is an <c>unsigned long</c> in C and an <c>unsigned int</c> in the kernel
    /// (<c>SYSCALL_DEFINE3(ioctl, unsigned int fd, unsigned int cmd, unsigned long arg)</c>), so passing its low
    /// 32 bits, as Tmds.LibC's <c>int</c> parameter does, is exact for every encoded request.
    /// </summary>
    internal static int Ioctl(int fd, nuint request, void* argument) => LibC.ioctl(fd, unchecked((int)(uint)request), argument);

    /// <summary>realpath(3); Tmds.LibC lacks it.</summary>
    [LibraryImport(LibraryName, EntryPoint = "realpath", SetLastError = true)]
    private static partial byte* RealPath(byte* path, byte* resolved);

    /// <summary>PATH_MAX of Linux (linux/limits.h, the same on every architecture; checked by LibcAbiTests): the size of the buffer realpath(3) fills.</summary>
    internal const int PathMax = 4096;

    /// <summary>
    /// The canonical absolute path of <paramref name="path"/> with every symlink, <c>.</c> and <c>..</c> resolved
    /// (realpath(3)); null and <paramref name="errno"/> when a component does not exist or cannot be read.
    /// </summary>
    internal static string? ResolvePath(string path, out int errno)
    {
        byte[] native = ToNativePath(path);
        byte* resolved = stackalloc byte[PathMax];
        fixed (byte* p = native)
        {
            if (RealPath(p, resolved) == null)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
        }
        errno = 0;
        return Marshal.PtrToStringUTF8((nint)resolved);
    }

    /// <summary>Sends SIGTERM to <paramref name="pid"/>; false when it failed (no such process).</summary>
    internal static bool Terminate(int pid) => OperatingSystem.IsLinux() && LibC.kill(pid, LibC.SIGTERM) == 0;

    /// <summary>Encodes a path as NUL-terminated UTF-8 once, for allocation-free <see cref="OpenPath"/> calls later.</summary>
    internal static byte[] ToNativePath(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        var bytes = new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Opens <paramref name="nativePath"/> with <paramref name="flags"/> (<see cref="LibC"/>'s O_ values); returns the descriptor or -errno.</summary>
    internal static int OpenPath(byte[] nativePath, int flags)
    {
        fixed (byte* p = nativePath)
        {
            int fd = LibC.open(p, flags, 0);
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>
    /// Takes a reference on <paramref name="handle"/> (so that it cannot be closed and its number reused while a
    /// call uses it) and returns its descriptor; release with <see cref="Release"/> when <paramref name="added"/>.
    /// </summary>
    private static int AddRef(SafeHandle handle, ref bool added)
    {
        handle.DangerousAddRef(ref added);
        return (int)handle.DangerousGetHandle();
    }

    private static void Release(SafeHandle handle, bool added)
    {
        if (added)
        {
            handle.DangerousRelease();
        }
    }
}
