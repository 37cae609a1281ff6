namespace EdgeGovernor.Hal.Bmc;

/// <summary>Why a BMC operation failed.</summary>
public enum BmcErrorKind
{
    Timeout,
    AuthenticationFailed,
    UnsupportedCipherSuite,
    MalformedReply,
    CompletionCode,
    SessionClosed,
    InvalidArgument,

    /// <summary>Nothing listens at the BMC's address and port (ICMP port unreachable, connection refused).</summary>
    Unreachable,
}
