using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// A server's BMC reached over Redfish (<c>servers[].redfish</c>): the endpoint, and how the server's cap and power go
/// to it (a <c>Control</c> of type Power or the legacy <c>Power</c> resource; <c>ComputerSystem.Reset</c>).
/// </summary>
internal sealed class RedfishConfig : RedfishEndpointConfig
{
    /// <summary>The system's <c>Id</c> under <c>Systems</c>; null: the first (a BMC usually manages one).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SystemId { get; set; }

    /// <summary>Whether the server's cap is applied as the BMC's power limit.</summary>
    public bool PowerLimit { get; set; } = true;

    /// <summary>Legacy <c>PowerLimit.CorrectionInMs</c>: how long the BMC may take to bring power under the limit.</summary>
    public int CorrectionTimeMs { get; set; } = 6000;

    /// <summary>Legacy <c>PowerLimit.LimitException</c>: <c>log</c> (LogEventOnly, default), <c>none</c> (NoAction) or <c>hard-off</c> (HardPowerOff).</summary>
    public string ExceptionAction { get; set; } = "log";

    /// <summary>Reset type for powering the server off: <c>soft</c> (GracefulShutdown, default) or <c>hard</c> (ForceOff).</summary>
    public string PowerOff { get; set; } = "soft";

    /// <summary>Shortest time between two power changes of the system, seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most power changes of the system in any sliding hour.</summary>
    public int MaxTogglesPerHour { get; set; } = 4;
}
