using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>Where and how a <see cref="RedfishClient"/> reaches a Redfish service (a BMC or a PDU).</summary>
/// <param name="BaseAddress">Scheme, host and port of the service, e.g. <c>https://10.0.7.21</c>; paths come from the service root.</param>
/// <param name="Credentials">The account; see <see cref="RedfishCredentials.Load"/>.</param>
public sealed record RedfishClientOptions(Uri BaseAddress, RedfishCredentials Credentials)
{
    /// <summary>A PEM file of the CA certificate(s) the service's certificate must chain to (name checked too).</summary>
    public string? CaFile { get; init; }

    /// <summary>The SHA-256 fingerprint of the service's own certificate, hex (colons allowed): BMCs ship self-signed
    /// certificates; with a pin, the chain and the name are not checked, only the exact certificate.</summary>
    public string? PinnedSha256 { get; init; }

    /// <summary>Allows <c>http://</c> (test rigs only): credentials and tokens then cross the network in clear.</summary>
    public bool AllowPlainHttp { get; init; }

    /// <summary>Bound on one request, from sending to the last byte of the body (default 5 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Repetitions of a request that may be repeated (GET, PATCH, DELETE, login) after a transport failure or a 503
    /// (default 2). Actions are never repeated by the client itself.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Longest wait a <c>Retry-After</c> may ask for; a longer one fails the request instead (default 10 s).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest reply body accepted (default 256 KiB); a larger one is an error.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Log in with a session (<c>X-Auth-Token</c>) when the service offers a session service (default true);
    /// basic authentication otherwise.</summary>
    public bool UseSessions { get; init; } = true;

    /// <summary>Throws <see cref="BmcException"/> (<see cref="BmcErrorKind.InvalidArgument"/>) when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        ArgumentNullException.ThrowIfNull(Credentials);
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("https" or "http") || BaseAddress.AbsolutePath != "/")
        {
            Fail($"Redfish address '{BaseAddress}' must be https://host[:port] with no path");
        }

        if (BaseAddress.Scheme == "http" && !AllowPlainHttp)
        {
            Fail($"Redfish address '{BaseAddress}' is plain HTTP: set AllowPlainHttp (test rigs only) or use https");
        }

        if (BaseAddress.Scheme == "https" && CaFile is null && PinnedSha256 is null)
        {
            Fail($"Redfish address '{BaseAddress}': give a CA file or a pinned SHA-256 fingerprint of the BMC's certificate");
        }

        if (PinnedSha256 is not null && RedfishCertificatePolicy.ParseFingerprint(PinnedSha256) is null)
        {
            Fail("pinned SHA-256 fingerprint must be 64 hex digits (colons allowed)");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(2))
        {
            Fail($"Redfish timeout {Timeout} must be above zero and at most two minutes");
        }

        if (Retries is < 0 or > 10)
        {
            Fail($"Redfish retries {Retries} must be between 0 and 10");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(5))
        {
            Fail($"Redfish MaxRetryAfter {MaxRetryAfter} must be between 0 and 5 minutes");
        }

        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            Fail($"Redfish MaxBodyBytes {MaxBodyBytes} must be between 1 KiB and 16 MiB");
        }
    }

    private static void Fail(string message) => throw new BmcException(BmcErrorKind.InvalidArgument, message + ".");
}
