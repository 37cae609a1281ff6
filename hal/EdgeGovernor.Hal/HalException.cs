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
