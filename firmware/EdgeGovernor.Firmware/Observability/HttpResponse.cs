namespace EdgeGovernor.Firmware.Observability;

/// <summary>A response of <see cref="HttpStatusServer"/>.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Content-Type header.</param>
/// <param name="Body">Body text (UTF-8).</param>
internal sealed record HttpResponse(int Status, string ContentType, string Body)
{
    /// <summary>Further header lines, each CRLF-terminated (e.g. <c>WWW-Authenticate</c> of a 401).</summary>
    public string Headers { get; init; } = "";
}
