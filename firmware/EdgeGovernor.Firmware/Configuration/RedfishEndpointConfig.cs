using System.Text.Json.Serialization;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// How to reach a Redfish service (a server's BMC or a switched PDU): address, credentials, trust, timeouts and the
/// period of the device's own loop. Shared by <see cref="RedfishConfig"/> and <see cref="RedfishOutletConfig"/>.
/// </summary>
internal class RedfishEndpointConfig
{
    /// <summary>Service address, <c>https://host[:port]</c> with no path (<c>http://</c> only with <see cref="AllowPlainHttp"/>).</summary>
    public string Address { get; set; } = "";

    /// <summary>File with <c>username=</c> and <c>password=</c> lines, mode 0600 (hal's <c>RedfishCredentials</c>).</summary>
    public string CredentialsFile { get; set; } = "";

    /// <summary>PEM file of the CA(s) the service's certificate must chain to (its name is checked too).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CaFile { get; set; }

    /// <summary>SHA-256 fingerprint of the service's certificate (64 hex digits, colons allowed): for self-signed BMCs.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PinnedSha256 { get; set; }

    /// <summary>Allows <c>http://</c> (test rigs only: credentials travel in clear).</summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>How long one request (body included) may take, milliseconds.</summary>
    public int TimeoutMs { get; set; } = 5000;

    /// <summary>Repetitions of an idempotent request after a transport failure or a 503.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Period of the device's own loop (readings, pending changes), milliseconds.</summary>
    public int PollMs { get; set; } = 2000;

    /// <summary>Whether the service is asked for a session (<c>X-Auth-Token</c>); false: basic auth on every request.</summary>
    public bool UseSessions { get; set; } = true;

    /// <summary>Makes the credentials and CA file paths absolute, relative to <paramref name="baseDirectory"/> (the configuration's).</summary>
    public void ResolvePaths(string baseDirectory)
    {
        CredentialsFile = Resolve(CredentialsFile, baseDirectory);
        CaFile = CaFile is null ? null : Resolve(CaFile, baseDirectory);
    }

    private static string Resolve(string path, string baseDirectory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>hal's client options for this endpoint; reads the credentials file.</summary>
    /// <exception cref="Hal.Bmc.BmcException">The credentials file cannot be read or a setting is out of range.</exception>
    public RedfishClientOptions ClientOptions()
    {
        var options = new RedfishClientOptions(new Uri(Address, UriKind.Absolute), RedfishCredentials.Load(CredentialsFile))
        {
            CaFile = CaFile,
            PinnedSha256 = PinnedSha256,
            AllowPlainHttp = AllowPlainHttp,
            Timeout = TimeSpan.FromMilliseconds(TimeoutMs),
            Retries = Retries,
            UseSessions = UseSessions,
        };
        options.Validate();
        return options;
    }
}
