using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// What a <see cref="BmcAgent"/> needs of a BMC's configuration, whatever the protocol: its journal target, the loop's
/// period and bounds, how caps become power limits and how the server is powered off, and the chassis' dwell and hourly
/// cap. Made from <c>servers[].bmc</c> (IPMI/DCMI, target <c>host:port</c>) or <c>servers[].redfish</c> (target the
/// service address, with the system id when one is configured).
/// </summary>
internal sealed record BmcLoopSettings(
    string Target,
    int PollMs,
    int TimeoutMs,
    int Retries,
    bool PowerLimit,
    int CorrectionTimeMs,
    int SamplingPeriodSeconds,
    PowerLimitExceptionAction ExceptionAction,
    ChassisControl OffAction,
    TimeSpan MinimumDwell,
    int MaxTogglesPerHour)
{
    /// <summary>The settings of an IPMI BMC.</summary>
    public static BmcLoopSettings Of(BmcConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(string.Create(CultureInfo.InvariantCulture, $"{c.Host}:{c.Port}"), c.PollMs, c.TimeoutMs, c.Retries, c.PowerLimit, c.CorrectionTimeMs,
            c.SamplingPeriodSeconds, ExceptionActionOf(c.ExceptionAction), OffActionOf(c.PowerOff), TimeSpan.FromSeconds(c.MinimumDwellSeconds), c.MaxTogglesPerHour);
    }

    /// <summary>The settings of a Redfish BMC (its sampling period is the service's own: 1 s is passed and ignored).</summary>
    public static BmcLoopSettings Of(RedfishConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(TargetOf(c), c.PollMs, c.TimeoutMs, c.Retries, c.PowerLimit, c.CorrectionTimeMs, 1,
            ExceptionActionOf(c.ExceptionAction), OffActionOf(c.PowerOff), TimeSpan.FromSeconds(c.MinimumDwellSeconds), c.MaxTogglesPerHour);
    }

    /// <summary>The journal target of a Redfish BMC: its address, and <c>#systemId</c> when one is configured.</summary>
    public static string TargetOf(RedfishConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        string address = c.Address.TrimEnd('/');
        return c.SystemId is null ? address : $"{address}#{c.SystemId}";
    }

    /// <summary>The chassis action of a <c>powerOff</c> setting: <c>hard</c> is a forced off, anything else a soft (ACPI/graceful) off.</summary>
    public static ChassisControl OffActionOf(string powerOff) => powerOff == "hard" ? ChassisControl.PowerOff : ChassisControl.SoftOff;

    /// <summary>The limit exception action of an <c>exceptionAction</c> setting.</summary>
    public static PowerLimitExceptionAction ExceptionActionOf(string action) => action switch
    {
        "none" => PowerLimitExceptionAction.NoAction,
        "hard-off" => PowerLimitExceptionAction.HardPowerOffAndLogEvent,
        _ => PowerLimitExceptionAction.LogEventOnly,
    };
}
