using System.Runtime.InteropServices;

namespace EdgeGovernor.Hal.Interop;

/// <summary>An open file descriptor, closed with close(2) exactly once.</summary>
internal class SafeFileDescriptor : SafeHandle
{
    /// <summary>An invalid handle, to be set by the owner.</summary>
    public SafeFileDescriptor()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public SafeFileDescriptor(int fd)
        : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number.</summary>
    public int Fd => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close(Fd) == 0;
}

/// <summary>An open /dev/gpiochipN.</summary>
internal sealed class SafeGpioChipHandle(int fd) : SafeFileDescriptor(fd);

/// <summary>The anonymous descriptor the kernel returns for one GPIO_V2_GET_LINE_IOCTL request.</summary>
internal sealed class SafeGpioLineRequestHandle(int fd) : SafeFileDescriptor(fd);
