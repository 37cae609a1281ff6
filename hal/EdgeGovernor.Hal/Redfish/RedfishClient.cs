using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// HTTP to one Redfish service: TLS checked by <see cref="RedfishCertificatePolicy"/> (plain HTTP only when allowed),
/// authentication by <see cref="RedfishSession"/> (a session token, logged in again once on 401; basic auth where no
/// session service is offered), every request bounded by <see cref="RedfishClientOptions.Timeout"/> from sending to the
/// last body byte, bodies bounded by <see cref="RedfishClientOptions.MaxBodyBytes"/> and read into one buffer of the
/// client's. <see cref="RedfishRequestKind.Repeatable"/> requests are repeated after a transport failure or a 503
/// (waiting what <c>Retry-After</c> asks, bounded); <see cref="RedfishRequestKind.Once"/> requests never are.
/// Every failure is a <see cref="BmcException"/>. One request at a time: callers hold <see cref="LockAsync"/> while they
/// send and parse (the body buffer is reused).
/// </summary>
public sealed class RedfishClient : IAsyncDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly RedfishClientOptions _options;
    private readonly HttpClient _http;
    private readonly RedfishCertificatePolicy? _certificates;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _body;
    private readonly TimeProvider _time;
    private CancellationTokenSource _timeout = new();
    private ServiceRootDto? _root;
    private long _requests, _retries, _failures;
    private bool _disposed;

    /// <summary>Creates the client; nothing is sent before the first request.</summary>
    public RedfishClient(RedfishClientOptions options, TimeProvider? time = null)
        : this(options, handler: null, time)
    {
    }

    /// <summary>Creates the client over <paramref name="handler"/> (replies made in-process, as the fuzz harness does) or,
    /// when null, over sockets with TLS checked by <see cref="RedfishCertificatePolicy"/>.</summary>
    internal RedfishClient(RedfishClientOptions options, HttpMessageHandler? handler, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _body = new byte[options.MaxBodyBytes];
        handler ??= CreateSocketsHandler(options, out _certificates);
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Session = new RedfishSession(this, options.Credentials, options.UseSessions);
    }

    private static SocketsHttpHandler CreateSocketsHandler(RedfishClientOptions options, out RedfishCertificatePolicy? certificates)
    {
        certificates = null;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            // AutomaticDecompression is left at its default (none): setting it, even to None, roots the HTTP stack's
            // gzip/deflate/brotli handlers and the native brotli encoder in the native binary (about 0.5 MB).
            ConnectTimeout = options.Timeout,
            MaxConnectionsPerServer = 2,
            MaxResponseHeadersLength = 32,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        if (options.BaseAddress.Scheme == "https")
        {
            RedfishCertificatePolicy policy = new(options.CaFile, options.PinnedSha256);
            certificates = policy;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => policy.Validate(certificate, chain, errors),
            };
        }

        return handler;
    }

    /// <summary>The options in force.</summary>
    public RedfishClientOptions Options => _options;

    /// <summary>The authentication state.</summary>
    public RedfishSession Session { get; }

    /// <summary>Requests sent (each attempt counts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Repetitions after a transport failure or a 503.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Attempts that failed without a usable reply (timeouts, refused connections, TLS refusals, oversized or cut bodies).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Waits for this client's one request slot; dispose the result to release it.</summary>
    internal async ValueTask<RedfishLease> LockAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new RedfishLease(_gate);
    }

    /// <summary>Resolves a path the service gave (<c>/redfish/v1/...</c>) against the base address; refuses anything else
    /// (another host, another scheme, a path outside <c>/redfish/</c>, more than 512 characters).</summary>
    public Uri Resolve(string? path, string what)
    {
        if (path is null || path.Length is 0 or > 512 || !path.StartsWith("/redfish/", StringComparison.Ordinal)
            || path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            throw RedfishFailure.Malformed(what, $"link '{Printable(path)}' is not a path under /redfish/ on this service");
        }

        int hash = path.IndexOf('#', StringComparison.Ordinal);
        return Uri.TryCreate(_options.BaseAddress, hash < 0 ? path : path[..hash], out Uri? uri) && uri.Authority == _options.BaseAddress.Authority
            ? uri
            : throw RedfishFailure.Malformed(what, $"link '{Printable(path)}' is not a valid path");
    }

    /// <summary>The service root (read once, without authentication, as the specification allows).</summary>
    internal async ValueTask<ServiceRootDto> GetServiceRootAsync(CancellationToken cancellationToken)
    {
        if (_root is null)
        {
            RedfishResponse response = await SendAsync(HttpMethod.Get, new Uri(_options.BaseAddress, "/redfish/v1/"), null, null,
                RedfishRequestKind.Repeatable, authenticate: false, wantHeaders: false, cancellationToken).ConfigureAwait(false);
            _root = Decode(response, "service root", RedfishJsonContext.Default.ServiceRootDto);
        }

        return _root;
    }

    /// <summary>GET of a resource; the ETag header is kept when <paramref name="wantETag"/>.</summary>
    public ValueTask<RedfishResponse> GetAsync(Uri uri, bool wantETag, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, uri, null, null, RedfishRequestKind.Repeatable, authenticate: true, wantETag, cancellationToken);

    /// <summary>PATCH with <c>If-Match</c> when an ETag is given.</summary>
    public ValueTask<RedfishResponse> PatchAsync(Uri uri, byte[] body, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, uri, body, ifMatch, RedfishRequestKind.Repeatable, authenticate: true, wantHeaders: false, cancellationToken);

    /// <summary>POST of an action (sent once: see <see cref="RedfishRequestKind.Once"/>).</summary>
    public ValueTask<RedfishResponse> PostActionAsync(Uri uri, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, uri, body, null, RedfishRequestKind.Once, authenticate: true, wantHeaders: false, cancellationToken);

    /// <summary>Deserializes a 2xx reply with source-generated metadata; any other status or a body that does not parse is a <see cref="BmcException"/>.</summary>
    internal static T Decode<T>(in RedfishResponse response, string what, JsonTypeInfo<T> type)
        where T : class
    {
        if (!response.IsSuccess)
        {
            throw RedfishFailure.Status(what, response);
        }

        try
        {
            return JsonSerializer.Deserialize(response.Body.Span, type) ?? throw RedfishFailure.Malformed(what, "the body is null");
        }
        catch (JsonException e)
        {
            throw RedfishFailure.Malformed(what, e.Message, e);
        }
    }

    /// <summary>Sends one request, with authentication, bounded retries and the 401 login-again rule.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<RedfishResponse> SendAsync(HttpMethod method, Uri uri, byte[]? body, string? ifMatch, RedfishRequestKind kind,
        bool authenticate, bool wantHeaders, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool loggedInAgain = false;
        for (int attempt = 0; ; attempt++)
        {
            if (authenticate)
            {
                await Session.EnsureAsync(cancellationToken).ConfigureAwait(false);
            }

            RedfishResponse response;
            try
            {
                response = await SendOnceAsync(method, uri, body, ifMatch, authenticate, wantHeaders, cancellationToken).ConfigureAwait(false);
            }
            catch (BmcException e) when (kind == RedfishRequestKind.Repeatable && attempt < _options.Retries && e.Kind is BmcErrorKind.Timeout)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.Status == HttpStatusCode.Unauthorized && authenticate && !loggedInAgain)
            {
                // 401: the request was refused, not carried out, so sending it again (even an action) is safe.
                loggedInAgain = true;
                Session.Expire();
                attempt--;
                continue;
            }

            if (response.Status == HttpStatusCode.ServiceUnavailable && kind == RedfishRequestKind.Repeatable && attempt < _options.Retries)
            {
                TimeSpan wait = RetryAfter ?? Backoff(attempt);
                if (wait <= _options.MaxRetryAfter)
                {
                    Interlocked.Increment(ref _retries);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            return response;
        }
    }

    /// <summary>The <c>Retry-After</c> of the last reply (seconds or a date), or null.</summary>
    internal TimeSpan? RetryAfter { get; private set; }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(100 << Math.Min(attempt, 5));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RedfishResponse> SendOnceAsync(HttpMethod method, Uri uri, byte[]? body, string? ifMatch, bool authenticate,
        bool wantHeaders, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        RetryAfter = null;
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }

        CancellationTokenSource timeout = _timeout;
        timeout.CancelAfter(_options.Timeout);
        using CancellationTokenRegistration link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("OData-Version", "4.0");
        if (authenticate)
        {
            Session.Apply(request.Headers);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            long? declared = response.Content.Headers.ContentLength;
            if (declared > _body.Length)
            {
                throw TooLarge(uri, declared.Value);
            }

            int length = 0;
            Stream stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == _body.Length)
                    {
                        // Full buffer: one more byte means the body is too large.
                        if (await stream.ReadAsync(new byte[1].AsMemory(), timeout.Token).ConfigureAwait(false) > 0)
                        {
                            throw TooLarge(uri, length + 1);
                        }

                        break;
                    }

                    int n = await stream.ReadAsync(_body.AsMemory(length), timeout.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    length += n;
                }
            }

            if (response.Headers.RetryAfter is { } retryAfter)
            {
                RetryAfter = retryAfter.Delta ?? (retryAfter.Date is { } date ? Max(date - _time.GetUtcNow()) : null);
            }

            string? etag = null, location = null, token = null;
            if (wantHeaders)
            {
                etag = First(response.Headers, "ETag");
                location = response.Headers.Location?.OriginalString;
                token = First(response.Headers, "X-Auth-Token");
            }

            return new RedfishResponse(response.StatusCode, _body.AsMemory(0, length), etag, location, token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            throw new BmcException(BmcErrorKind.Timeout, $"Redfish {method} {uri.AbsolutePath}: no complete reply within {_options.Timeout.TotalMilliseconds:F0} ms");
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _failures);
            throw Unreachable(method, uri, e);
        }
        catch (IOException e)
        {
            Interlocked.Increment(ref _failures);
            throw new BmcException(BmcErrorKind.Timeout, $"Redfish {method} {uri.AbsolutePath}: connection lost while reading the reply: {e.Message}", e);
        }
    }

    private BmcException Unreachable(HttpMethod method, Uri uri, HttpRequestException e)
    {
        if (e.InnerException is AuthenticationException && _certificates?.LastRefusal is { } refusal)
        {
            return new BmcException(BmcErrorKind.AuthenticationFailed, $"Redfish {method} {uri.AbsolutePath}: TLS refused: {refusal}", e);
        }

        string why = e.InnerException is SocketException s ? s.SocketErrorCode.ToString() : e.Message;
        return new BmcException(BmcErrorKind.Timeout, $"Redfish {method} {uri.AbsolutePath}: cannot reach {_options.BaseAddress.Authority}: {why}", e);
    }

    private BmcException TooLarge(Uri uri, long bytes)
    {
        Interlocked.Increment(ref _failures);
        return RedfishFailure.Malformed(uri.AbsolutePath, $"body of {bytes} bytes or more exceeds the limit of {_body.Length}");
    }

    private static TimeSpan? Max(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? values.ToString() : null;

    private static string Printable(string? text) => text is null ? "(none)" : text.Length <= 80 ? text : text[..80] + "...";

    /// <summary>Logs out (DELETE of the session, once, bounded) and releases the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Session.LogoutAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed = true;
            _http.Dispose();
            _timeout.Dispose();
            _gate.Release();
        }
    }
}
