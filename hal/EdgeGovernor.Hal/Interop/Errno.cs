namespace EdgeGovernor.Hal.Interop;

/// <summary>Linux errno values (asm-generic/errno-base.h and errno.h; identical on x86_64, arm64, arm).</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int ENXIO = 6;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int ENODEV = 19;
    internal const int ENOTDIR = 20;
    internal const int EISDIR = 21;
    internal const int EINVAL = 22;
    internal const int ENOTTY = 25;
    internal const int EROFS = 30;
    internal const int ERANGE = 34;
    internal const int ENODATA = 61;
    internal const int EOPNOTSUPP = 95;

    /// <summary>Maps an errno to what the control loop can act on.</summary>
    internal static HalErrorKind Classify(int errno) => errno switch
    {
        EACCES or EPERM or EROFS => HalErrorKind.AccessDenied,
        EBUSY or EAGAIN or EINTR => HalErrorKind.Busy,
        ENOENT or ENODEV or ENXIO or ENOTDIR => HalErrorKind.Missing,
        EISDIR => HalErrorKind.NotAFile,
        EINVAL or ERANGE or ENODATA or EOPNOTSUPP or ENOTTY => HalErrorKind.Rejected,
        _ => HalErrorKind.IoError,
    };

    /// <summary>The symbolic name of an errno, for messages.</summary>
    internal static string Describe(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        EAGAIN => "EAGAIN",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        ENODEV => "ENODEV",
        ENOTDIR => "ENOTDIR",
        EISDIR => "EISDIR",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        EROFS => "EROFS",
        ERANGE => "ERANGE",
        ENODATA => "ENODATA",
        EOPNOTSUPP => "EOPNOTSUPP",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
