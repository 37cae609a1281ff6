namespace EdgeGovernor.Firmware.Observability;

/// <summary>A response of <see cref="HttpStatusServer"/>.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Content-Type header.</param>
/// <param name="Body">Body text (UTF-8).</param>
internal sealed record HttpResponse(int Status, string ContentType, string Body);
