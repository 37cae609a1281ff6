namespace EdgeGovernor.Firmware.Observability;

/// <summary>Syslog severities, as journald reads them from a <c>&lt;N&gt;</c> line prefix.</summary>
internal enum LogLevel
{
    /// <summary>Error conditions (3).</summary>
    Error = 3,

    /// <summary>Warning conditions (4).</summary>
    Warning = 4,

    /// <summary>Normal but significant (5).</summary>
    Notice = 5,

    /// <summary>Informational (6).</summary>
    Info = 6,

    /// <summary>Debug (7).</summary>
    Debug = 7,
}
