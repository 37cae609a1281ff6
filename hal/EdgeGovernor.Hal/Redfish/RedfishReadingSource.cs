namespace EdgeGovernor.Hal.Redfish;

/// <summary>Where the server's power reading comes from.</summary>
public enum RedfishReadingSource
{
    /// <summary>The first that answers, in this order: <c>EnvironmentMetrics</c>, <c>PowerSubsystem</c>, legacy <c>Power</c>.</summary>
    Auto,

    /// <summary><c>EnvironmentMetrics.PowerWatts.Reading</c> of the chassis.</summary>
    EnvironmentMetrics,

    /// <summary>The sum of <c>InputPowerWatts.Reading</c> of every power supply's <c>Metrics</c> in the chassis' <c>PowerSubsystem</c>.</summary>
    PowerSubsystem,

    /// <summary><c>PowerControl[0].PowerConsumedWatts</c> (and <c>PowerMetrics</c>) of the legacy <c>Power</c> resource.</summary>
    LegacyPower,
}
