using System.Net;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// One HTTP reply of a Redfish service. <see cref="Body"/> lies in the client's own buffer and is valid only until the
/// next request on the same <see cref="RedfishClient"/> (callers hold the client's lock while they parse it).
/// </summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">The reply body (at most <see cref="RedfishClientOptions.MaxBodyBytes"/>).</param>
/// <param name="ETag">The <c>ETag</c> header, when asked for and sent.</param>
/// <param name="Location">The <c>Location</c> header, when asked for and sent.</param>
/// <param name="AuthToken">The <c>X-Auth-Token</c> header, when asked for and sent.</param>
public readonly record struct RedfishResponse(HttpStatusCode Status, ReadOnlyMemory<byte> Body, string? ETag, string? Location, string? AuthToken)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
