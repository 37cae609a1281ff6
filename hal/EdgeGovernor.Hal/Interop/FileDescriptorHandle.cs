using System.Runtime.InteropServices;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// An open file descriptor (a sysfs attribute, a directory, an eventfd, an epoll instance, a GPIO chip or
/// line request), closed with close(2) exactly once: one SafeHandle per native object.
/// </summary>
internal class FileDescriptorHandle : SafeHandle
{
    /// <summary>An invalid handle, to be set by the owner.</summary>
    public FileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public FileDescriptorHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number.</summary>
    public int Fd => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close(Fd) == 0;
}
