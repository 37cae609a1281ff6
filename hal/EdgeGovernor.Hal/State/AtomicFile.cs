using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal.State;

/// <summary>
/// Durable replacement of a small file: writes <c>path.tmp</c>, fsyncs it, renames it over <c>path</c> and fsyncs
/// the directory, so that after a crash or power loss the file holds either the old or the new content, never a
/// mix. The one writer of the actuator state journal and the firmware's Raft vote file.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably (creating its
    /// directory if needed); throws <see cref="HalException"/> with the errno when the directory cannot be synced.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        FSyncDirectory(directory);
    }

    private static void FSyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Libc.OpenPath(Libc.ToNativePath(directory), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(-fd, "opening directory", directory);
        }

        using var handle = new FileDescriptorHandle(fd);
        if (Libc.FSync(handle.Fd) != 0)
        {
            ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), "fsync of", directory);
        }
    }
}
