using System.Net;
using System.Text.Json;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>Builds the <see cref="BmcException"/>s of the Redfish client (throw sites kept out of the hot methods).</summary>
internal static class RedfishFailure
{
    public static BmcException Malformed(string what, string why, Exception? inner = null) =>
        new(BmcErrorKind.MalformedReply, $"Redfish {what}: malformed reply: {why}", inner);

    /// <summary>A non-2xx reply: 4xx is a refusal (<see cref="BmcErrorKind.CompletionCode"/>), 401/403 an authentication failure,
    /// 5xx an unavailable service (<see cref="BmcErrorKind.Timeout"/>). The service's own message is quoted when it sent one.</summary>
    public static BmcException Status(string what, in RedfishResponse response)
    {
        int code = (int)response.Status;
        BmcErrorKind kind = response.Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => BmcErrorKind.AuthenticationFailed,
            _ when code >= 500 => BmcErrorKind.Timeout,
            _ => BmcErrorKind.CompletionCode,
        };
        string? detail = ServiceMessage(response.Body.Span);
        return new BmcException(kind, $"Redfish {what}: HTTP {code} {response.Status}{(detail is null ? string.Empty : ": " + detail)}");
    }

    /// <summary>The message of a Redfish error body (<c>error.@Message.ExtendedInfo[0].Message</c> or <c>error.message</c>), at most 200 characters; null when there is none.</summary>
    public static string? ServiceMessage(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            ErrorBodyDto? error = JsonSerializer.Deserialize(body, RedfishJsonContext.Default.ErrorDto)?.Error;
            string? text = error?.ExtendedInfo is [{ Message: { } first }, ..] ? first : error?.Message;
            return text is null ? null : text.Length <= 200 ? text : text[..200];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
