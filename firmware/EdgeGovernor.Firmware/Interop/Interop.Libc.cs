using System.Runtime.InteropServices;

namespace EdgeGovernor.Firmware.Interop;

/// <summary>The few libc calls the firmware needs beyond the base library (Linux).</summary>
internal static partial class Libc
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x4000; // TEMP: arm64 value (x86-64: 0x10000); fixed properly elsewhere
    private const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM (15) to <paramref name="pid"/>; false when it failed (no such process).</summary>
    public static bool Terminate(int pid) => OperatingSystem.IsLinux() && Kill(pid, 15) == 0;

    /// <summary>fsyncs a directory so that a rename inside it is durable; throws <see cref="IOException"/> on failure.</summary>
    public static void FSyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        int fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
