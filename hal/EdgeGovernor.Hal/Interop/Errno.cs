using Tmds.Linux;

namespace EdgeGovernor.Hal.Interop;

/// <summary>What an errno means to the control loop, and its name for messages; the values are Tmds.LibC's.</summary>
internal static class Errno
{
    /// <summary>Maps an errno to what the control loop can act on.</summary>
    internal static HalErrorKind Classify(int errno)
    {
        if (errno == LibC.EACCES || errno == LibC.EPERM || errno == LibC.EROFS)
        {
            return HalErrorKind.AccessDenied;
        }
        if (errno == LibC.EBUSY || errno == LibC.EAGAIN || errno == LibC.EINTR)
        {
            return HalErrorKind.Busy;
        }
        if (errno == LibC.ENOENT || errno == LibC.ENODEV || errno == LibC.ENXIO || errno == LibC.ENOTDIR)
        {
            return HalErrorKind.Missing;
        }
        if (errno == LibC.EISDIR)
        {
            return HalErrorKind.NotAFile;
        }
        if (errno == LibC.EINVAL || errno == LibC.ERANGE || errno == LibC.ENODATA || errno == LibC.EOPNOTSUPP || errno == LibC.ENOTTY)
        {
            return HalErrorKind.Rejected;
        }
        return HalErrorKind.IoError;
    }

    /// <summary>The symbolic name of an errno, for messages.</summary>
    internal static string Describe(int errno)
    {
        foreach ((int value, string name) in Named)
        {
            if (value == errno)
            {
                return name;
            }
        }
        return "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly (int Value, string Name)[] Named =
    [
        (LibC.EPERM, "EPERM"), (LibC.ENOENT, "ENOENT"), (LibC.EINTR, "EINTR"), (LibC.EIO, "EIO"),
        (LibC.ENXIO, "ENXIO"), (LibC.EAGAIN, "EAGAIN"), (LibC.EACCES, "EACCES"), (LibC.EBUSY, "EBUSY"),
        (LibC.ENODEV, "ENODEV"), (LibC.ENOTDIR, "ENOTDIR"), (LibC.EISDIR, "EISDIR"), (LibC.EINVAL, "EINVAL"),
        (LibC.ENOTTY, "ENOTTY"), (LibC.EROFS, "EROFS"), (LibC.ERANGE, "ERANGE"), (LibC.ENODATA, "ENODATA"),
        (LibC.EOPNOTSUPP, "EOPNOTSUPP"), (LibC.ECONNREFUSED, "ECONNREFUSED"), (LibC.EREMOTEIO, "EREMOTEIO"),
        (LibC.ETIMEDOUT, "ETIMEDOUT"),
    ];
}
