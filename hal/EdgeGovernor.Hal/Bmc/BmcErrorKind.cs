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
}
