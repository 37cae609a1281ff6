using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// How a <see cref="RedfishClient"/> authenticates, and the session it holds. On first use it reads the service root:
/// with a session service (root <c>Links.Sessions</c> or <c>SessionService.Sessions</c>) and sessions enabled it logs in
/// (<c>POST</c> of <c>UserName</c>/<c>Password</c>; the token comes back in <c>X-Auth-Token</c>, the session's address in
/// <c>Location</c>) and sends <c>X-Auth-Token</c> from then on; otherwise, or when the login is refused with 404/405, it
/// uses basic authentication. <see cref="Expire"/> (the client calls it on 401) drops the token so that the next request
/// logs in again; <see cref="LogoutAsync"/> deletes the session.
/// </summary>
public sealed class RedfishSession
{
    private readonly RedfishClient _client;
    private readonly RedfishCredentials _credentials;
    private readonly bool _useSessions;
    private readonly string _basic;
    private Uri? _sessions;
    private bool _resolved;
    private string? _token;
    private Uri? _location;
    private long _logins;
    private bool _closing;

    internal RedfishSession(RedfishClient client, RedfishCredentials credentials, bool useSessions)
    {
        _client = client;
        _credentials = credentials;
        _useSessions = useSessions;
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.UserName + ":" + credentials.Password));
    }

    /// <summary>True when requests carry a session token, false for basic authentication (or before the first request).</summary>
    public bool UsesSession => _sessions is not null;

    /// <summary>True while a session is open.</summary>
    public bool IsOpen => _token is not null;

    /// <summary>The address of the open session, or null.</summary>
    public Uri? Location => _location;

    /// <summary>Logins made (the first and every one after a 401).</summary>
    public long Logins => Interlocked.Read(ref _logins);

    /// <summary>Drops the token: the next request logs in again.</summary>
    public void Expire() => _token = null;

    internal void Apply(HttpRequestHeaders headers)
    {
        if (_token is not null)
        {
            headers.TryAddWithoutValidation("X-Auth-Token", _token);
        }
        else if (_sessions is null)
        {
            headers.TryAddWithoutValidation("Authorization", _basic);
        }
    }

    internal async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_token is not null || _closing || (_resolved && _sessions is null))
        {
            return;
        }

        if (!_resolved)
        {
            ServiceRootDto root = await _client.GetServiceRootAsync(cancellationToken).ConfigureAwait(false);
            string? path = root.Links?.Sessions?.Id;
            if (path is null && root.SessionService?.Id is { } service && _useSessions)
            {
                RedfishResponse reply = await _client.SendAsync(HttpMethod.Get, _client.Resolve(service, "service root"), null, null,
                    RedfishRequestKind.Repeatable, authenticate: false, wantHeaders: false, cancellationToken).ConfigureAwait(false);
                if (reply.IsSuccess)
                {
                    path = RedfishClient.Decode(reply, "session service", RedfishJsonContext.Default.SessionServiceDto).Sessions?.Id;
                }
            }

            _sessions = _useSessions && path is not null ? _client.Resolve(path, "service root") : null;
            _resolved = true;
            if (_sessions is null)
            {
                return;
            }
        }

        await LoginAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask LoginAsync(CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new SessionRequest { UserName = _credentials.UserName, Password = _credentials.Password },
            RedfishJsonContext.Default.SessionRequest);
        RedfishResponse reply = await _client.SendAsync(HttpMethod.Post, _sessions!, body, null, RedfishRequestKind.Repeatable,
            authenticate: false, wantHeaders: true, cancellationToken).ConfigureAwait(false);
        if (reply.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            _sessions = null; // No session service after all: basic authentication from now on.
            return;
        }

        if (!reply.IsSuccess)
        {
            throw RedfishFailure.Status("session login", reply);
        }

        if (reply.AuthToken is not { Length: > 0 and <= 1024 } token || token.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E))
        {
            throw RedfishFailure.Malformed("session login", "no usable X-Auth-Token header");
        }

        _token = token;
        _location = reply.Location is { } location ? Resolve(location) : null;
        Interlocked.Increment(ref _logins);
    }

    private Uri? Resolve(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.Authority == _client.Options.BaseAddress.Authority ? _client.Resolve(absolute.AbsolutePath, "session login") : null;
        }

        return _client.Resolve(location, "session login");
    }

    /// <summary>Deletes the open session (once; a failure leaves it to expire on the service) and forgets the token.</summary>
    internal async ValueTask LogoutAsync()
    {
        if (_token is null || _location is null)
        {
            _token = null;
            return;
        }

        _closing = true;
        try
        {
            await _client.SendAsync(HttpMethod.Delete, _location, null, null, RedfishRequestKind.Once, authenticate: true, wantHeaders: false,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (BmcException)
        {
            // The service expires the session on its own (SessionTimeout).
        }

        _token = null;
        _location = null;
    }
}
