namespace EdgeGovernor.Hal;

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

    /// <summary>
    /// The request itself can never succeed and nothing was written: a saved entry whose target leaves its tree (after
    /// symlinks are resolved) or whose value is not in the target's format. The state journal drops such entries.
    /// </summary>
    Invalid,
}
