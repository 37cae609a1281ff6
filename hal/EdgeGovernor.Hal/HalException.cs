namespace EdgeGovernor.Hal;

/// <summary>
/// A hardware operation failed or was refused. <see cref="Kind"/> tells the control loop what to do:
/// retry later (<see cref="HalErrorKind.Busy"/>, <see cref="HalErrorKind.RateLimited"/>), stop
/// trying this actuator (<see cref="HalErrorKind.Locked"/>, <see cref="HalErrorKind.AccessDenied"/>,
/// <see cref="HalErrorKind.Missing"/>), or fix the setpoint (<see cref="HalErrorKind.OutOfRange"/>).
/// </summary>
public sealed class HalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HalException(HalErrorKind kind, string message, string? target = null, int errno = 0, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Target = target;
        Errno = errno;
    }

    /// <summary>Why the operation failed.</summary>
    public HalErrorKind Kind { get; }

    /// <summary>The file, line or device concerned, when there is one.</summary>
    public string? Target { get; }

    /// <summary>The Linux errno reported by the kernel, or 0 when the layer refused on its own.</summary>
    public int Errno { get; }
}

/// <summary>Why a hardware operation failed.</summary>
public enum HalErrorKind
{
    /// <summary>The value lies outside the hardware's range; nothing was written.</summary>
    OutOfRange,
    /// <summary>Permission denied (EACCES, EPERM, EROFS): run as root or fix the udev rule / file mode.</summary>
    AccessDenied,
    /// <summary>The firmware (BIOS) locked the setting (RAPL writes refused with EACCES).</summary>
    Locked,
    /// <summary>The zone or device is disabled; enable it first.</summary>
    Disabled,
    /// <summary>The device is busy (EBUSY, EAGAIN); retry later.</summary>
    Busy,
    /// <summary>The file, device or line does not exist (ENOENT, ENODEV, ENXIO).</summary>
    Missing,
    /// <summary>A directory or other non-attribute where an attribute was expected (EISDIR).</summary>
    NotAFile,
    /// <summary>The kernel refused the value (EINVAL, ENODATA, EOPNOTSUPP).</summary>
    Rejected,
    /// <summary>The content could not be parsed: not what the kernel writes.</summary>
    Garbage,
    /// <summary>A protection limit (relay dwell time, toggles per hour) refused the change.</summary>
    RateLimited,
    /// <summary>Any other I/O error (EIO, short write).</summary>
    IoError,
}
