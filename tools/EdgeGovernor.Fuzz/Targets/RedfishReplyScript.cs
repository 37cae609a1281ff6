using System.Net;
using System.Text;
using System.Text.Json;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// The HTTP end of the Redfish targets, in-process: every request the client sends is answered with the next reply of
/// the script (the fuzz input), whatever it asked for, so the client, the discovery and the readers parse fuzzed replies
/// exactly as they parse a BMC's. For the seeds it can instead serve a DMTF mockup directory and record what it served
/// in the script format.
/// <code>
/// script:  reply (0x00 reply)*                       at most 48 requests are answered; later ones and those past
///                                                      the last reply get 404 with an empty body
/// reply:   [status digit] ['@' header lines '\n'] body
/// status:  0..9 = 200 201 204 400 401 404 405 412 500 503 (no digit: 200)
/// header:  'Name: value' lines (ETag, Location, X-Auth-Token, Retry-After, ...) ending with an empty line
/// </code>
/// </summary>
internal sealed class RedfishReplyScript : HttpMessageHandler
{
    private const int MaxRequests = 48;
    private static readonly HttpStatusCode[] Statuses =
    [
        HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.NoContent, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized,
        HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed, HttpStatusCode.PreconditionFailed, HttpStatusCode.InternalServerError,
        HttpStatusCode.ServiceUnavailable,
    ];

    // Mockup properties no reader looks at, dropped from recorded seeds to keep them small.
    private static readonly HashSet<string> Dropped =
    [
        "@odata.context", "@odata.etag", "@odata.type", "@Redfish.Copyright", "Description", "Oem", "Status", "Location", "Assembly",
        "UUID", "RedfishVersion", "ProtocolFeaturesSupported", "Boot", "BootProgress", "ProcessorSummary", "MemorySummary",
        "PowerSupplyRedundancy", "EfficiencyRatings", "InputRanges", "OutputRails", "FanSpeedsPercent", "TemperatureCelsius",
        "Batteries", "Allocation", "PolyPhaseCurrentAmps", "PolyPhaseVoltage", "CurrentAmps", "Voltage", "FrequencyHz",
        "PhaseWiringType", "NominalVoltage", "OutletType", "VoltageType", "IndicatorLED", "RatedCurrentAmps",
    ];

    private readonly string? _mockup;
    private readonly MemoryStream? _recording;
    private byte[] _script = [];
    private int _position;
    private int _requests;

    /// <summary>A handler answering from a script (<see cref="Reset"/> sets it).</summary>
    public RedfishReplyScript()
    {
    }

    /// <summary>A handler serving the DMTF mockup under <paramref name="mockup"/> (the folder holding the root's index.json) and recording it.</summary>
    public RedfishReplyScript(string mockup)
    {
        _mockup = mockup;
        _recording = new MemoryStream();
    }

    /// <summary>The replies served so far, in the script format (mockup mode).</summary>
    public byte[] Recording => _recording?.ToArray() ?? [];

    /// <summary>A script of <paramref name="replies"/> (for hand-made seeds).</summary>
    public static byte[] Join(params string[] replies) => Encoding.UTF8.GetBytes(string.Join('\0', replies));

    /// <summary>Starts answering from <paramref name="script"/>.</summary>
    public void Reset(ReadOnlySpan<byte> script)
    {
        _script = script.ToArray();
        _position = 0;
        _requests = 0;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(_mockup is null ? Next() : Serve(request));

    private HttpResponseMessage Next()
    {
        if (++_requests > MaxRequests || _position > _script.Length)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) };
        }
        int end = Array.IndexOf(_script, (byte)0, _position);
        ReadOnlySpan<byte> reply = _script.AsSpan(_position, (end < 0 ? _script.Length : end) - _position);
        _position = end < 0 ? _script.Length + 1 : end + 1;

        var status = HttpStatusCode.OK;
        if (reply.Length > 0 && reply[0] is >= (byte)'0' and <= (byte)'9')
        {
            status = Statuses[reply[0] - '0'];
            reply = reply[1..];
        }
        var response = new HttpResponseMessage(status);
        if (reply.Length > 0 && reply[0] == '@')
        {
            int headersEnd = reply.IndexOf("\n\n"u8);
            ReadOnlySpan<byte> headers = headersEnd < 0 ? reply[1..] : reply[1..headersEnd];
            reply = headersEnd < 0 ? [] : reply[(headersEnd + 2)..];
            foreach (string line in Encoding.Latin1.GetString(headers).Split('\n'))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    response.Headers.TryAddWithoutValidation(line[..colon], line[(colon + 1)..].Trim());
                }
            }
        }
        response.Content = new ByteArrayContent(reply.ToArray());
        return response;
    }

    private HttpResponseMessage Serve(HttpRequestMessage request)
    {
        string path = request.RequestUri!.AbsolutePath;
        byte[] body = [];
        string prefix = "";
        HttpStatusCode status;
        if (request.Method == HttpMethod.Get)
        {
            string file = Path.Combine(_mockup!, path["/redfish/v1".Length..].Trim('/'), "index.json");
            status = File.Exists(file) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            body = status == HttpStatusCode.OK ? Minify(File.ReadAllBytes(file)) : [];
            prefix = status == HttpStatusCode.OK ? "" : "5";
        }
        else if (request.Method == HttpMethod.Post && path.EndsWith("/Sessions", StringComparison.Ordinal))
        {
            status = HttpStatusCode.Created;
            prefix = $"1@X-Auth-Token: 5f1e0c3a9b\nLocation: {path}/1\n\n";
        }
        else
        {
            status = HttpStatusCode.NoContent;
            prefix = "2";
        }
        if (_recording!.Length > 0)
        {
            _recording.WriteByte(0);
        }
        _recording.Write(Encoding.UTF8.GetBytes(prefix));
        _recording.Write(body);
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
        if (prefix.StartsWith("1@", StringComparison.Ordinal))
        {
            response.Headers.TryAddWithoutValidation("X-Auth-Token", "5f1e0c3a9b");
            response.Headers.TryAddWithoutValidation("Location", path + "/1");
        }
        return response;
    }

    // The mockup's JSON without indentation and without the properties no reader looks at, so seeds stay small.
    private static byte[] Minify(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            Write(writer, document.RootElement);
        }
        return output.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty p in element.EnumerateObject())
                {
                    if (!Dropped.Contains(p.Name))
                    {
                        writer.WritePropertyName(p.Name);
                        Write(writer, p.Value);
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray().Take(2))
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
