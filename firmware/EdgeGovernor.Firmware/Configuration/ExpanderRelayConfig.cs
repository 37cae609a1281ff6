namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A PDU relay on an expander pin (<c>rack.addons.expanders[].relays[]</c>): the outlet of one server.</summary>
internal sealed class ExpanderRelayConfig
{
    /// <summary>Pin of the expander (MCP23017: 0..7 = GPA0..7, 8..15 = GPB0..7).</summary>
    public int Pin { get; set; } = -1;

    /// <summary>Name of the server (a <c>rack.servers[]</c> entry with count 1 and no other outlet) whose outlet it switches.</summary>
    public string Server { get; set; } = "";

    /// <summary>True when a low level closes the relay (powers the outlet).</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Shortest time between two changes of the outlet, seconds.</summary>
    public double MinimumDwellSeconds { get; set; } = 120;

    /// <summary>Most changes in any sliding hour.</summary>
    public int MaxTogglesPerHour { get; set; } = 4;
}
