namespace EdgeGovernor.Hal.Bmc;

/// <summary>A BMC operation failed; <see cref="Kind"/> says how.</summary>
public sealed class BmcException(BmcErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public BmcErrorKind Kind { get; } = kind;
}
