namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A server's BMC, reached over IPMI 2.0 / RMCP+ (cipher suite 3).</summary>
internal sealed class BmcConfig
{
    /// <summary>IPv4 address of the BMC.</summary>
    public string Host { get; set; } = "";

    /// <summary>UDP port (623 on real BMCs).</summary>
    public int Port { get; set; } = 623;

    /// <summary>File with <c>username=</c> and <c>password=</c> lines, mode 0600 (hal's <c>IpmiCredentials</c>).</summary>
    public string CredentialsFile { get; set; } = "";

    /// <summary>How long one IPMI attempt waits for its reply, milliseconds.</summary>
    public int TimeoutMs { get; set; } = 1000;

    /// <summary>Retransmissions after the first attempt.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Period of the BMC's own loop (power reading, limit, chassis), milliseconds.</summary>
    public int PollMs { get; set; } = 1000;

    /// <summary>Whether the server's cap is applied as a DCMI power limit.</summary>
    public bool PowerLimit { get; set; } = true;

    /// <summary>DCMI correction time: how long the BMC may take to bring power under the limit, milliseconds.</summary>
    public int CorrectionTimeMs { get; set; } = 6000;

    /// <summary>DCMI statistics sampling period, seconds.</summary>
    public int SamplingPeriodSeconds { get; set; } = 1;

    /// <summary>DCMI exception action when the limit is not held in time: <c>log</c> (default), <c>none</c> or <c>hard-off</c>.</summary>
    public string ExceptionAction { get; set; } = "log";

    /// <summary>Chassis action for powering the server off: <c>soft</c> (ACPI, default) or <c>hard</c>.</summary>
    public string PowerOff { get; set; } = "soft";

    /// <summary>Shortest time between two chassis power changes (without an outlet), seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most chassis power changes in any sliding hour (without an outlet).</summary>
    public int MaxTogglesPerHour { get; set; } = 4;
}
