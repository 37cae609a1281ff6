namespace EdgeGovernor.Hal.Simulation;

/// <summary>Power state of a simulated server.</summary>
public enum ServerPowerState
{
    /// <summary>Off (standby power only while the outlet is on).</summary>
    Off,
    /// <summary>Powering on: draws boot power, does no work, for <see cref="ServerModel.BootTime"/>.</summary>
    Booting,
    /// <summary>Running the workload.</summary>
    On,
    /// <summary>Orderly shutdown after a soft off, for <see cref="ServerModel.ShutdownTime"/>.</summary>
    ShuttingDown,
}
