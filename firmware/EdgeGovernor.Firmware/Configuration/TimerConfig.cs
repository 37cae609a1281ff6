namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Timers in milliseconds.</summary>
internal sealed class TimerConfig
{
    /// <summary>Heartbeat period of ordinary members.</summary>
    public int HeartbeatMs { get; set; } = 200;

    /// <summary>Heartbeat period of the coordinator (failover depends on it).</summary>
    public int CoordinatorHeartbeatMs { get; set; } = 100;

    /// <summary>Silence after which the coordinator is considered failed.</summary>
    public int ElectionTimeoutMs { get; set; } = 600;

    /// <summary>Period of the control loop (price -> policy -> hardware).</summary>
    public int ControlPeriodMs { get; set; } = 1000;

    /// <summary>How long a price record stays valid past its interval end before it is stale.</summary>
    public int PriceGraceMs { get; set; } = 0;

    /// <summary>systemd watchdog ping period; 0 derives it from $WATCHDOG_USEC.</summary>
    public int WatchdogMs { get; set; } = 0;
}
