using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>HTTP endpoint and logging.</summary>
internal sealed class ObservabilityConfig
{
    /// <summary>Address the /metrics and /status server binds to (loopback by default).</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the HTTP server; 0 picks a free port, -1 disables it.</summary>
    public int HttpPort { get; set; } = 9464;

    /// <summary>
    /// File holding the bearer token every request must carry (<c>Authorization: Bearer</c>, Prometheus' <c>authorization</c>):
    /// one line, 16 to 4096 printable characters, mode 0600 or 0400. Empty: none. A non-loopback address needs this or basic auth.
    /// </summary>
    public string HttpBearerTokenFile { get; set; } = "";

    /// <summary>User name of HTTP basic auth (Prometheus' <c>basic_auth</c>), with <see cref="HttpBasicAuthPasswordFile"/>; empty: none.</summary>
    public string HttpBasicAuthUser { get; set; } = "";

    /// <summary>File holding the basic-auth password: one line, 8 to 1024 characters, mode 0600 or 0400.</summary>
    public string HttpBasicAuthPasswordFile { get; set; } = "";

    /// <summary>The token read from <see cref="HttpBearerTokenFile"/> during validation (null: none).</summary>
    [JsonIgnore]
    public string? HttpBearerToken { get; internal set; }

    /// <summary>The password read from <see cref="HttpBasicAuthPasswordFile"/> during validation (null: none).</summary>
    [JsonIgnore]
    public string? HttpBasicAuthPassword { get; internal set; }

    /// <summary>Lowest logged level: debug, info, notice, warning, error.</summary>
    public string LogLevel { get; set; } = "info";
}
