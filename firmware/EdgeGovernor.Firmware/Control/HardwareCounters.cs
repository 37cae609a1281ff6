namespace EdgeGovernor.Firmware.Control;

/// <summary>Counters of the linux backend's actuators (plain numbers for /metrics).</summary>
internal struct HardwareCounters
{
    /// <summary>BMC turns that failed (no answer, refused command, malformed reply).</summary>
    public long BmcErrors;

    /// <summary>BMCs whose last turn failed.</summary>
    public int BmcsUnreachable;

    /// <summary>DCMI power limits set and activated.</summary>
    public long DcmiLimitWrites;

    /// <summary>Chassis control commands sent.</summary>
    public long ChassisCommands;

    /// <summary>Outlet relay changes.</summary>
    public long RelayToggles;

    /// <summary>Power switches refused (relay dwell or toggle cap, protected server, BMC not answering).</summary>
    public long PowerRefused;

    /// <summary>cpufreq policy limit writes.</summary>
    public long CpufreqWrites;

    /// <summary>State-file entries refused at restore as invalid (target outside sysfs, value not in its format) and removed.</summary>
    public long RestoreRefused;
}
