using System.Runtime.InteropServices;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The libc calls of the hardware layer and the firmware (dotnet/iot style: one Interop class in partial files,
/// <c>LibraryImport</c>, errno through <see cref="Marshal.GetLastPInvokeError"/>): files and processes here,
/// sockets in <c>Interop.Libc.Sockets.cs</c>, epoll and eventfd in <c>Interop.Libc.Epoll.cs</c>. Paths are passed
/// as NUL-terminated UTF-8 so that no marshalling allocates. Every constant and struct layout is checked against
/// the C headers of x86-64, arm64 and arm by <c>LibcAbiTests</c>; values that differ between architectures are
/// chosen from <see cref="RuntimeInformation.ProcessArchitecture"/>.
/// </summary>
internal static unsafe partial class Libc
{
    private const string LibraryName = "libc";

    // <fcntl.h> values shared by x86_64, arm64 and arm (asm-generic/fcntl.h).
    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_RDWR = 0x2;
    internal const int O_TRUNC = 0x200;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary>O_DIRECTORY of the running architecture (see <see cref="ODirectoryOf"/>).</summary>
    internal static readonly int O_DIRECTORY = ODirectoryOf(RuntimeInformation.ProcessArchitecture);

    /// <summary>SIGTERM (the same number on every Linux architecture .NET runs on).</summary>
    internal const int SIGTERM = 15;

    /// <summary>
    /// O_DIRECTORY differs between architectures: 0x10000 in asm-generic/fcntl.h (x86-64, x86, riscv64, s390x,
    /// loongarch64), 0x4000 in arch/arm64, arch/arm and arch/powerpc's uapi asm/fcntl.h (where 0x10000 is O_DIRECT).
    /// </summary>
    internal static int ODirectoryOf(Architecture architecture) => architecture switch
    {
        Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le => 0x4000,
        _ => 0x10000,
    };

    [LibraryImport(LibraryName, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(byte* path, int flags, int mode);

    [LibraryImport(LibraryName, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>pread with a 64-bit offset on every ABI (plain pread takes a 32-bit off_t on arm).</summary>
    [LibraryImport(LibraryName, EntryPoint = "pread64", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(LibraryName, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(LibraryName, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    /// <summary>ioctl(2); the request is an unsigned long in C, hence <see cref="nuint"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(LibraryName, EntryPoint = "realpath", SetLastError = true)]
    private static partial byte* RealPath(byte* path, byte* resolved);

    /// <summary>PATH_MAX of Linux: the size of the buffer realpath(3) fills.</summary>
    private const int PathMax = 4096;

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

    [LibraryImport(LibraryName, EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM to <paramref name="pid"/>; false when it failed (no such process).</summary>
    internal static bool Terminate(int pid) => OperatingSystem.IsLinux() && Kill(pid, SIGTERM) == 0;

    /// <summary>Encodes a path as NUL-terminated UTF-8 once, for allocation-free <see cref="Open"/> calls later.</summary>
    internal static byte[] ToNativePath(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        var bytes = new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Opens <paramref name="nativePath"/>; returns the descriptor or -errno.</summary>
    internal static int OpenPath(byte[] nativePath, int flags)
    {
        fixed (byte* p = nativePath)
        {
            int fd = Open(p, flags, 0);
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }
}
