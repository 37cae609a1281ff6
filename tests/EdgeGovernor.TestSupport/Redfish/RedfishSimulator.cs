using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeGovernor.TestSupport.Redfish;

/// <summary>
/// A stateful Redfish service of the project's own, for what the DMTF mockup server cannot show: a small HTTP/1.1 server on
/// 127.0.0.1 (TLS with the given certificate when one is given) serving one server (system <c>S1</c>, chassis <c>C1</c> with a
/// power-limit control <c>Cap</c>, legacy <c>Power</c> and <c>EnvironmentMetrics</c>) and one PDU (<c>P1</c>, outlets
/// <c>O1</c>, <c>O2</c>). Actions change state (reset types, outlet on/off/cycle); sessions are checked (401 without a live
/// token); every resource has an ETag (a PATCH with a stale <c>If-Match</c> gets 412); knobs inject 503 with Retry-After, delay,
/// malformed or oversized bodies, and action replies lost after (or before) the action was carried out.
/// </summary>
public sealed class RedfishSimulator : IAsyncDisposable
{
    public const string User = "operator";
    public const string Password = "correct horse";

    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens = [];
    private readonly object _lock = new();
    private readonly Task _accept;
    private int _nextSession;

    public RedfishSimulator(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        Seed();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public Uri BaseAddress => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request as "METHOD path".</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The next N requests (service root excepted) answer 503 with <c>Retry-After: 1</c>.</summary>
    public int Unavailable { get; set; }

    /// <summary>The next N actions answer 503 with <c>Retry-After: 1</c> without being carried out.</summary>
    public int UnavailableActions { get; set; }

    /// <summary>Every answer waits this long first.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Replies send their headers, then wait this long before the body.</summary>
    public TimeSpan StallBody { get; set; }

    /// <summary>GETs of paths ending so answer this body instead.</summary>
    public (string PathEnd, string Body)? Garbage { get; set; }

    /// <summary>The next PATCH finds the resource changed behind the client's back (its ETag moved): 412.</summary>
    public bool ChangeBeforeNextPatch { get; set; }

    /// <summary>The next action is carried out (true) or not (false), and its connection closed without a reply.</summary>
    public bool? LoseNextActionReply { get; set; }

    /// <summary>Sessions are not offered: basic authentication only.</summary>
    public bool NoSessions { get; set; }

    public int Count(string methodAndPathEnd) => Log.Count(l => l.EndsWith(methodAndPathEnd, StringComparison.Ordinal) || l == methodAndPathEnd);

    public int CountPrefix(string prefix) => Log.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public int LiveSessions
    {
        get
        {
            lock (_lock)
            {
                return _tokens.Count;
            }
        }
    }

    /// <summary>The service forgets every session (as a BMC does after its session timeout or a restart).</summary>
    public void ExpireSessions()
    {
        lock (_lock)
        {
            _tokens.Clear();
        }
    }

    public JsonNode? Get(string path, string property)
    {
        lock (_lock)
        {
            return _resources[path][property]?.DeepClone();
        }
    }

    public void Set(string path, string property, JsonNode? value)
    {
        lock (_lock)
        {
            _resources[path][property] = value;
            _versions[path]++;
        }
    }

    private void Seed()
    {
        const string V1 = "/redfish/v1";
        Add(V1 + "/", """{"Systems":{"@odata.id":"~/Systems"},"Chassis":{"@odata.id":"~/Chassis"},"PowerEquipment":{"@odata.id":"~/PowerEquipment"},"SessionService":{"@odata.id":"~/SessionService"},"Links":{"Sessions":{"@odata.id":"~/SessionService/Sessions"}}}""");
        Add(V1 + "/SessionService/Sessions", """{"Members":[]}""");
        Add(V1 + "/Systems", """{"Members":[{"@odata.id":"~/Systems/S1"}]}""");
        Add(V1 + "/Systems/S1", """{"Id":"S1","PowerState":"On","Actions":{"#ComputerSystem.Reset":{"target":"~/Systems/S1/Actions/ComputerSystem.Reset","ResetType@Redfish.AllowableValues":["On","ForceOff","GracefulShutdown","ForceRestart"]}}}""");
        Add(V1 + "/Chassis", """{"Members":[{"@odata.id":"~/Chassis/C1"}]}""");
        Add(V1 + "/Chassis/C1", """{"Id":"C1","Controls":{"@odata.id":"~/Chassis/C1/Controls"},"Power":{"@odata.id":"~/Chassis/C1/Power"},"EnvironmentMetrics":{"@odata.id":"~/Chassis/C1/EnvironmentMetrics"},"Links":{"ComputerSystems":[{"@odata.id":"~/Systems/S1"}]}}""");
        Add(V1 + "/Chassis/C1/Controls", """{"Members":[{"@odata.id":"~/Chassis/C1/Controls/Cap"}]}""");
        Add(V1 + "/Chassis/C1/Controls/Cap", """{"Id":"Cap","ControlType":"Power","ControlMode":"Disabled","SetPoint":300,"SetPointUnits":"W","AllowableMin":100,"AllowableMax":800}""");
        Add(V1 + "/Chassis/C1/Power", """{"PowerControl":[{"MemberId":"0","PowerConsumedWatts":240,"PowerLimit":{"LimitInWatts":null,"LimitException":"NoAction","CorrectionInMs":1000}}]}""");
        Add(V1 + "/Chassis/C1/EnvironmentMetrics", """{"PowerWatts":{"Reading":250.4}}""");
        Add(V1 + "/PowerEquipment", """{"RackPDUs":{"@odata.id":"~/PowerEquipment/RackPDUs"}}""");
        Add(V1 + "/PowerEquipment/RackPDUs", """{"Members":[{"@odata.id":"~/PowerEquipment/RackPDUs/P1"}]}""");
        Add(V1 + "/PowerEquipment/RackPDUs/P1", """{"Id":"P1","Outlets":{"@odata.id":"~/PowerEquipment/RackPDUs/P1/Outlets"}}""");
        Add(V1 + "/PowerEquipment/RackPDUs/P1/Outlets", """{"Members":[{"@odata.id":"~/PowerEquipment/RackPDUs/P1/Outlets/O1"},{"@odata.id":"~/PowerEquipment/RackPDUs/P1/Outlets/O2"}]}""");
        foreach (string o in new[] { "O1", "O2" })
        {
            Add($"{V1}/PowerEquipment/RackPDUs/P1/Outlets/{o}", """{"Id":"%","Name":"Outlet %","PowerState":"On","PowerWatts":{"Reading":120.5},"EnergykWh":{"Reading":42.25},"Actions":{"#Outlet.PowerControl":{"target":"~/PowerEquipment/RackPDUs/P1/Outlets/%/Actions/Outlet.PowerControl"}}}""".Replace("%", o, StringComparison.Ordinal));
        }
    }

    private void Add(string path, string json)
    {
        _resources[path] = JsonNode.Parse(json.Replace("~", "/redfish/v1", StringComparison.Ordinal))!.AsObject();
        _versions[path] = 1;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate, false, false);
                    stream = ssl;
                }

                await using (stream)
                {
                    while (await ServeOneAsync(stream))
                    {
                    }
                }
            }
            catch (Exception)
            {
                // Client went away or TLS refused: nothing to do.
            }
        }
    }

    private async Task<bool> ServeOneAsync(Stream stream)
    {
        string? head = await ReadHeadAsync(stream);
        if (head is null)
        {
            return false;
        }

        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        string method = requestLine[0], path = requestLine[1];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        byte[] body = [];
        if (headers.TryGetValue("Content-Length", out string? length) && int.Parse(length, CultureInfo.InvariantCulture) is > 0 and var n)
        {
            body = new byte[n];
            await stream.ReadExactlyAsync(body);
        }

        Log.Enqueue($"{method} {path}");
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        (int status, string? json, Dictionary<string, string> extra, bool drop) = Handle(method, path, headers, body);
        if (drop)
        {
            return false;
        }

        byte[] payload = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var response = new StringBuilder();
        response.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {(HttpStatusCode)status}\r\nContent-Length: {payload.Length}\r\n");
        if (json is not null)
        {
            response.Append("Content-Type: application/json\r\n");
        }

        foreach ((string k, string v) in extra)
        {
            response.Append(CultureInfo.InvariantCulture, $"{k}: {v}\r\n");
        }

        response.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()));
        if (StallBody > TimeSpan.Zero && payload.Length > 1)
        {
            await stream.WriteAsync(payload.AsMemory(0, 1));
            await stream.FlushAsync();
            await Task.Delay(StallBody);
            payload = payload[1..];
        }

        await stream.WriteAsync(payload);
        await stream.FlushAsync();
        return true;
    }

    private (int Status, string? Json, Dictionary<string, string> Headers, bool Drop) Handle(string method, string path, Dictionary<string, string> headers, byte[] body)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_lock)
        {
            if (path != "/redfish/v1/" && Unavailable > 0)
            {
                Unavailable--;
                extra["Retry-After"] = "1";
                return (503, """{"error":{"code":"Base.1.0.ServiceTemporarilyUnavailable","message":"busy"}}""", extra, false);
            }

            if (path == "/redfish/v1/" && method == "GET")
            {
                JsonObject root = _resources[path].DeepClone().AsObject();
                if (NoSessions)
                {
                    root.Remove("SessionService");
                    root.Remove("Links");
                }

                return (200, root.ToJsonString(), extra, false);
            }

            if (method == "POST" && path == "/redfish/v1/SessionService/Sessions" && !NoSessions)
            {
                JsonObject? login = JsonNode.Parse(body)?.AsObject();
                if ((string?)login?["UserName"] != User || (string?)login?["Password"] != Password)
                {
                    return (401, null, extra, false);
                }

                string token = Guid.NewGuid().ToString("N");
                _tokens.Add(token);
                int id = ++_nextSession;
                extra["X-Auth-Token"] = token;
                extra["Location"] = $"/redfish/v1/SessionService/Sessions/{id}";
                _resources[$"/redfish/v1/SessionService/Sessions/{id}"] = new JsonObject { ["Id"] = id.ToString(CultureInfo.InvariantCulture), ["Token"] = token };
                _versions[$"/redfish/v1/SessionService/Sessions/{id}"] = 1;
                return (201, $$"""{"Id":"{{id}}","UserName":"{{User}}"}""", extra, false);
            }

            if (!Authorized(headers))
            {
                return (401, """{"error":{"code":"Base.1.0.NoValidSession","message":"no valid session"}}""", extra, false);
            }

            if (method == "DELETE" && path.StartsWith("/redfish/v1/SessionService/Sessions/", StringComparison.Ordinal) && _resources.Remove(path, out JsonObject? session))
            {
                _tokens.Remove((string)session["Token"]!);
                return (204, null, extra, false);
            }

            if (method == "POST" && path.Contains("/Actions/", StringComparison.Ordinal))
            {
                return Action(path, body, extra);
            }

            if (!_resources.TryGetValue(path, out JsonObject? resource))
            {
                return (404, null, extra, false);
            }

            string etag = $"W/\"{_versions[path]}\"";
            if (method == "GET")
            {
                extra["ETag"] = etag;
                if (Garbage is { } g && path.EndsWith(g.PathEnd, StringComparison.Ordinal))
                {
                    return (200, g.Body, extra, false);
                }

                return (200, resource.ToJsonString(), extra, false);
            }

            if (method == "PATCH")
            {
                if (ChangeBeforeNextPatch)
                {
                    ChangeBeforeNextPatch = false;
                    _versions[path]++;
                    etag = $"W/\"{_versions[path]}\"";
                }

                if (headers.TryGetValue("If-Match", out string? ifMatch) && ifMatch != etag)
                {
                    return (412, """{"error":{"code":"Base.1.0.PreconditionFailed","message":"stale ETag"}}""", extra, false);
                }

                JsonObject patch = JsonNode.Parse(body)!.AsObject();
                if (patch["SetPoint"] is { } sp && ((double)sp < (double)resource["AllowableMin"]! || (double)sp > (double)resource["AllowableMax"]!))
                {
                    return (400, """{"error":{"code":"Base.1.0.PropertyValueOutOfRange","message":"SetPoint out of range"}}""", extra, false);
                }

                Merge(resource, patch);
                _versions[path]++;
                return (204, null, extra, false);
            }

            return (405, null, extra, false);
        }
    }

    private (int, string?, Dictionary<string, string>, bool) Action(string path, byte[] body, Dictionary<string, string> extra)
    {
        if (UnavailableActions > 0)
        {
            UnavailableActions--;
            extra["Retry-After"] = "1";
            return (503, null, extra, false);
        }

        string resourcePath = path[..path.IndexOf("/Actions/", StringComparison.Ordinal)];
        JsonObject? request = JsonNode.Parse(body)?.AsObject();
        bool? lose = LoseNextActionReply;
        LoseNextActionReply = null;
        if (lose == false)
        {
            return (0, null, extra, true); // Lost before it was carried out.
        }

        JsonObject resource = _resources[resourcePath];
        if (path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal))
        {
            string? type = (string?)request?["ResetType"];
            string? state = type switch
            {
                "On" => "On",
                "ForceOff" or "GracefulShutdown" => "Off",
                "ForceRestart" => (string?)resource["PowerState"],
                _ => null,
            };
            if (state is null)
            {
                return (400, """{"error":{"code":"Base.1.0.ActionParameterValueNotInList","message":"ResetType not supported"}}""", extra, false);
            }

            resource["PowerState"] = state;
        }
        else if (path.EndsWith("Outlet.PowerControl", StringComparison.Ordinal))
        {
            string? state = (string?)request?["PowerState"];
            if (state is not ("On" or "Off" or "PowerCycle"))
            {
                return (400, null, extra, false);
            }

            resource["PowerState"] = state == "PowerCycle" ? "On" : state;
            resource["PowerWatts"] = new JsonObject { ["Reading"] = state == "Off" ? 0 : 120.5 };
        }
        else
        {
            return (404, null, extra, false);
        }

        _versions[resourcePath]++;
        return (204, null, extra, lose == true);
    }

    private bool Authorized(Dictionary<string, string> headers)
    {
        if (headers.TryGetValue("X-Auth-Token", out string? token))
        {
            return _tokens.Contains(token);
        }

        string basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        return headers.TryGetValue("Authorization", out string? auth) && auth == basic;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach ((string key, JsonNode? value) in patch.ToList())
        {
            if (value is JsonObject o && target[key] is JsonObject t)
            {
                Merge(t, o);
            }
            else if (value is JsonArray a && target[key] is JsonArray ta)
            {
                for (int i = 0; i < a.Count && i < ta.Count; i++)
                {
                    if (a[i] is JsonObject ao && ta[i] is JsonObject tao)
                    {
                        Merge(tao, ao);
                    }
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var bytes = new List<byte>(512);
        var one = new byte[1];
        while (bytes.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            int c = bytes.Count;
            if (c >= 4 && bytes[c - 4] == '\r' && bytes[c - 3] == '\n' && bytes[c - 2] == '\r' && bytes[c - 1] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray(), 0, c - 4);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }
}
