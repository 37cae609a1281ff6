using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A PDU outlet switched by a relay on a GPIO line.</summary>
internal sealed class OutletConfig
{
    /// <summary>GPIO character device, e.g. <c>/dev/gpiochip0</c>.</summary>
    public string Chip { get; set; } = "";

    /// <summary>Line offset on the chip.</summary>
    public int Line { get; set; } = -1;

    /// <summary>True when a low level closes the relay (powers the outlet).</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Shortest time between two changes of the outlet, seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most changes in any sliding hour.</summary>
    public int MaxTogglesPerHour { get; set; } = 4;

    /// <summary>The outlet on a Redfish PDU (instead of <see cref="Chip"/> and <see cref="Line"/>); null for a GPIO relay.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RedfishOutletConfig? Redfish { get; set; }
}
