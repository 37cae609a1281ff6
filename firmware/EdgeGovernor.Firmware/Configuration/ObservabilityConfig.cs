namespace EdgeGovernor.Firmware.Configuration;

/// <summary>HTTP endpoint and logging.</summary>
internal sealed class ObservabilityConfig
{
    /// <summary>Address the /metrics and /status server binds to (loopback by default).</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the HTTP server; 0 picks a free port, -1 disables it.</summary>
    public int HttpPort { get; set; } = 9464;

    /// <summary>Lowest logged level: debug, info, notice, warning, error.</summary>
    public string LogLevel { get; set; } = "info";
}
