using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Tests.Observability;

/// <summary>/metrics and /status behind a bearer token or basic auth, and the rule that a non-loopback bind needs one.</summary>
public sealed class HttpAuthTests
{
    private const string Token = "s3cr3t-token-of-the-rack-0123456789";
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    private static async Task<HttpResponseMessage> Get(HttpStatusServer server, AuthenticationHeaderValue? auth)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{server.EndPoint.Port}/metrics"));
        request.Headers.Authorization = auth;
        return await http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Only_requests_with_the_token_or_the_basic_credentials_are_answered()
    {
        int served = 0;
        using var server = new HttpStatusServer(IPAddress.Loopback, 0, _ => { Interlocked.Increment(ref served); return new HttpResponse(200, "text/plain", "ok\n"); },
            new Logger("t", LogLevel.Error, new StringWriter()), auth: new HttpAuth(Token, "prometheus", "correct horse battery"));

        using (HttpResponseMessage none = await Get(server, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        }
        AuthenticationHeaderValue[] wrong =
        [
            new("Bearer", Token + "x"), new("Bearer", Token[..^1]), new("Bearer", "x"), new("Token", Token),
            Basic("prometheus", "wrong"), Basic("root", "correct horse battery"), new("Basic", "not base64!"),
        ];
        foreach (AuthenticationHeaderValue w in wrong)
        {
            using HttpResponseMessage r = await Get(server, w);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        Assert.Equal(0, served);
        Assert.Equal(1 + wrong.Length, server.Unauthorized);

        using (HttpResponseMessage bearer = await Get(server, new AuthenticationHeaderValue("Bearer", Token)))
        {
            Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        }
        using (HttpResponseMessage basic = await Get(server, Basic("prometheus", "correct horse battery")))
        {
            Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        }
        Assert.Equal(2, served);
    }

    [Fact]
    public void Two_authorization_headers_are_not_accepted()
    {
        var auth = new HttpAuth(Token, null, null);
        Assert.True(auth.IsAuthorized($"GET /metrics HTTP/1.1\r\nHost: x\r\nauthorization:  Bearer {Token}"));
        Assert.False(auth.IsAuthorized($"GET /metrics HTTP/1.1\r\nAuthorization: Bearer {Token}\r\nAuthorization: Bearer x"));
        Assert.Equal("WWW-Authenticate: Bearer realm=\"edgegov\"\r\n", auth.Challenge);
    }

    private static ConfigLoadResult Parse(TempDir dir, string observability) =>
        ConfigLoader.Parse($$"""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "k", "observability": { {{observability}} } }""", dir.Path);

    [Fact]
    public void A_non_loopback_bind_needs_a_token_or_basic_auth_from_0600_files()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        ConfigLoadResult open = Parse(dir, """ "httpAddress": "0.0.0.0" """);
        ConfigError error = Assert.Single(open.Errors);
        Assert.Equal("$.observability.httpAddress", error.Path);
        Assert.Contains("not a loopback address", error.Reason, StringComparison.Ordinal);
        Assert.True(Parse(dir, """ "httpAddress": "0.0.0.0", "httpPort": -1 """).IsValid); // no server, nothing to protect

        dir.SecretFile("token", Token + "\n");
        ConfigLoadResult withToken = Parse(dir, """ "httpAddress": "0.0.0.0", "httpBearerTokenFile": "token" """);
        Assert.True(withToken.IsValid, string.Join("\n", withToken.Errors));
        Assert.Equal(Token, withToken.Config!.Observability.HttpBearerToken);

        dir.SecretFile("password", "correct horse battery\n");
        ConfigLoadResult withBasic = Parse(dir, """ "httpAddress": "0.0.0.0", "httpBasicAuthUser": "prometheus", "httpBasicAuthPasswordFile": "password" """);
        Assert.True(withBasic.IsValid, string.Join("\n", withBasic.Errors));
        Assert.Equal("correct horse battery", withBasic.Config!.Observability.HttpBasicAuthPassword);

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(dir.Path, "token"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            ConfigError mode = Assert.Single(Parse(dir, """ "httpAddress": "0.0.0.0", "httpBearerTokenFile": "token" """).Errors);
            Assert.Equal("$.observability.httpBearerTokenFile", mode.Path);
            Assert.Contains("has mode 0604", mode.Reason, StringComparison.Ordinal);
        }
        dir.SecretFile("short", "abc\n");
        Assert.Equal("$.observability.httpBearerTokenFile", Assert.Single(Parse(dir, """ "httpBearerTokenFile": "short" """).Errors).Path);
        Assert.Equal("$.observability.httpBasicAuthPasswordFile", Assert.Single(Parse(dir, """ "httpBasicAuthUser": "prometheus" """).Errors).Path);
        Assert.Equal("$.observability.httpBasicAuthUser",
            Assert.Single(Parse(dir, """ "httpBasicAuthUser": "a:b", "httpBasicAuthPasswordFile": "password" """).Errors).Path);
    }
}
